// Spec-literal references for the data-movement kernels: one output element at a time, its
// coordinates recovered by division, its source found by the definition. The oracle for tests.
#include "kernels/transform/transform.h"

namespace ortl::kernels {
namespace {

int64_t numel(const Dims& shape) {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  return n;
}

// Coordinates of linear index i in a row-major tensor of `shape`.
Dims unravel(int64_t i, const Dims& shape) {
  Dims c(shape.size());
  for (size_t k = shape.size(); k-- > 0;) {
    c[k] = i % shape[k];
    i /= shape[k];
  }
  return c;
}

}  // namespace

template <class T>
void strided_copy_ref(const T* src, T* dst, const StridedCopyParams& p) {
  const int64_t n = numel(p.shape);
  for (int64_t i = 0; i < n; ++i) {
    const Dims c = unravel(i, p.shape);
    int64_t off = 0;
    for (size_t k = 0; k < c.size(); ++k) off += c[k] * p.src_strides[k];
    dst[i] = src[off];
  }
}

template <class T>
void transpose_ref(const T* src, T* dst, const Dims& src_shape, const Dims& perm) {
  Dims dst_shape(perm.size());
  for (size_t k = 0; k < perm.size(); ++k) dst_shape[k] = src_shape[perm[k]];
  const Dims in_strides = contiguous_strides(src_shape);
  const int64_t n = numel(dst_shape);
  for (int64_t i = 0; i < n; ++i) {
    const Dims c = unravel(i, dst_shape);  // dst[c] = src[x] with x[perm[k]] = c[k]
    int64_t off = 0;
    for (size_t k = 0; k < c.size(); ++k) off += c[k] * in_strides[perm[k]];
    dst[i] = src[off];
  }
}

template <class T>
void pad_ref(const T* src, T* dst, const PadParams& p, const T& value) {
  const size_t r = p.src_shape.size();
  Dims out_shape(r);
  for (size_t a = 0; a < r; ++a) out_shape[a] = p.src_shape[a] + p.begin[a] + p.end[a];
  const Dims in_strides = contiguous_strides(p.src_shape);
  const int64_t n = numel(out_shape);
  for (int64_t i = 0; i < n; ++i) {
    const Dims c = unravel(i, out_shape);
    bool constant = false;
    int64_t off = 0;
    for (size_t a = 0; a < r; ++a) {
      const int64_t len = p.src_shape[a];
      int64_t x = c[a] - p.begin[a];
      if (x < 0 || x >= len) {
        switch (p.mode) {
          case PadMode::kConstant: constant = true; break;
          case PadMode::kEdge: x = x < 0 ? 0 : len - 1; break;
          case PadMode::kWrap:
            while (x < 0) x += len;
            while (x >= len) x -= len;
            break;
          case PadMode::kReflect:  // numpy 'reflect': bounce off both ends until inside
            while (len > 1 && (x < 0 || x >= len)) x = x < 0 ? -x : 2 * (len - 1) - x;
            if (len == 1) x = 0;
            break;
        }
      }
      off += x * in_strides[a];
    }
    dst[i] = constant ? value : src[off];
  }
}

template <class T>
void gather_ref(const T* src, const int64_t* idx, int64_t n_idx, int64_t outer, int64_t axis_dim, int64_t inner,
                T* dst) {
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t j = 0; j < n_idx; ++j)
      for (int64_t i = 0; i < inner; ++i) dst[(o * n_idx + j) * inner + i] = src[(o * axis_dim + idx[j]) * inner + i];
}

#define ORTL_INSTANTIATE(T)                                                  \
  template void strided_copy_ref<T>(const T*, T*, const StridedCopyParams&); \
  template void transpose_ref<T>(const T*, T*, const Dims&, const Dims&);    \
  template void pad_ref<T>(const T*, T*, const PadParams&, const T&);        \
  template void gather_ref<T>(const T*, const int64_t*, int64_t, int64_t, int64_t, int64_t, T*);
ORTL_INSTANTIATE(uint8_t)
ORTL_INSTANTIATE(uint16_t)
ORTL_INSTANTIATE(uint32_t)
ORTL_INSTANTIATE(uint64_t)
ORTL_INSTANTIATE(std::string)
#undef ORTL_INSTANTIATE

}  // namespace ortl::kernels
