// Gather, GatherElements, GatherND (row gather) and the scatters.
//
// Indices arrive validated and non-negative (normalize_indices), so every read and write here
// is in bounds by construction. Gathers copy whole inner rows with memcpy when inner > 1 and are
// split across threads by output row; scatters run serially because duplicate indices must be
// applied in index order (the spec's reduction loop).
#include <algorithm>
#include <cstring>
#include <type_traits>

#include "kernels/transform/transform.h"

namespace ortl::kernels {
namespace {

template <class T>
inline void copy_n(const T* s, int64_t n, T* d) {
  if constexpr (std::is_trivially_copyable_v<T>) {
    std::memcpy(d, s, static_cast<size_t>(n) * sizeof(T));
  } else {
    std::copy_n(s, n, d);
  }
}

template <class T>
inline void combine(T& d, const T& u, ScatterReduce r) {
  if constexpr (std::is_arithmetic_v<T>) {
    switch (r) {
      case ScatterReduce::kNone: d = u; break;
      case ScatterReduce::kAdd: d = static_cast<T>(d + u); break;
      case ScatterReduce::kMul: d = static_cast<T>(d * u); break;
      case ScatterReduce::kMax: d = std::max(d, u); break;
      case ScatterReduce::kMin: d = std::min(d, u); break;
    }
  } else {
    (void)r;  // the op layer allows only kNone for non-arithmetic types
    d = u;
  }
}

// Source offset of element (row, 0) of an index tensor viewed as rows of its last dim, with the
// axis coordinate left out (the index supplies it).
int64_t row_base(int64_t row, const Dims& idx_shape, const Dims& src_strides, int axis) {
  const int r = static_cast<int>(idx_shape.size());
  int64_t off = 0;
  for (int k = r - 2; k >= 0; --k) {
    const int64_t c = row % idx_shape[k];
    row /= idx_shape[k];
    if (k != axis) off += c * src_strides[k];
  }
  return off;
}

}  // namespace

int64_t normalize_indices(int64_t* idx, int64_t n, int64_t dim) {
  for (int64_t i = 0; i < n; ++i) {
    if (idx[i] < -dim || idx[i] >= dim) return i;
    if (idx[i] < 0) idx[i] += dim;
  }
  return -1;
}

template <class T>
void gather(const T* src, const int64_t* idx, int64_t n_idx, int64_t outer, int64_t axis_dim, int64_t inner, T* dst,
            Parallel& par) {
  if (inner == 1) {
    par.for_range(outer, static_cast<double>(n_idx) + 2.0, [&](int64_t b, int64_t e) {
      for (int64_t o = b; o < e; ++o) {
        const T* s = src + o * axis_dim;
        T* d = dst + o * n_idx;
        for (int64_t j = 0; j < n_idx; ++j) d[j] = s[idx[j]];
      }
    });
    return;
  }
  par.for_range(outer * n_idx, static_cast<double>(inner) * 0.3 + 4.0, [&](int64_t b, int64_t e) {
    for (int64_t row = b; row < e; ++row) {
      const int64_t o = row / n_idx, j = row % n_idx;
      copy_n(src + (o * axis_dim + idx[j]) * inner, inner, dst + row * inner);
    }
  });
}

template <class T>
void gather_elements(const T* src, const Dims& src_shape, const int64_t* idx, const Dims& idx_shape, int axis, T* dst,
                     Parallel& par) {
  const int r = static_cast<int>(idx_shape.size());
  const Dims ss = contiguous_strides(src_shape);
  const int64_t n = idx_shape[r - 1];
  int64_t rows = 1;
  for (int k = 0; k < r - 1; ++k) rows *= idx_shape[k];
  if (n == 0 || rows == 0) return;
  const int64_t s_axis = ss[axis], s_last = axis == r - 1 ? 0 : ss[r - 1];
  par.for_range(rows, static_cast<double>(n) + 8.0, [&](int64_t b, int64_t e) {
    for (int64_t row = b; row < e; ++row) {
      const T* s = src + row_base(row, idx_shape, ss, axis);
      const int64_t* ix = idx + row * n;
      T* d = dst + row * n;
      for (int64_t c = 0; c < n; ++c) d[c] = s[c * s_last + ix[c] * s_axis];
    }
  });
}

template <class T>
void gather_rows(const T* src, const int64_t* offsets, int64_t n, int64_t len, T* dst, Parallel& par) {
  par.for_range(n, static_cast<double>(len) * 0.3 + 4.0, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) copy_n(src + offsets[i], len, dst + i * len);
  });
}

template <class T>
void scatter_rows(T* dst, const int64_t* offsets, int64_t n, int64_t len, const T* updates, ScatterReduce r) {
  for (int64_t i = 0; i < n; ++i) {
    T* d = dst + offsets[i];
    const T* u = updates + i * len;
    if (r == ScatterReduce::kNone) {
      copy_n(u, len, d);
    } else {
      for (int64_t j = 0; j < len; ++j) combine(d[j], u[j], r);
    }
  }
}

template <class T>
void scatter_elements(T* dst, const Dims& dst_shape, const int64_t* idx, const Dims& idx_shape, int axis,
                      const T* updates, ScatterReduce r) {
  const int rank = static_cast<int>(idx_shape.size());
  const Dims ds = contiguous_strides(dst_shape);
  const int64_t n = idx_shape[rank - 1];
  int64_t rows = 1;
  for (int k = 0; k < rank - 1; ++k) rows *= idx_shape[k];
  const int64_t s_axis = ds[axis], s_last = axis == rank - 1 ? 0 : ds[rank - 1];
  for (int64_t row = 0; row < rows && n > 0; ++row) {
    T* d = dst + row_base(row, idx_shape, ds, axis);
    for (int64_t c = 0; c < n; ++c) combine(d[c * s_last + idx[row * n + c] * s_axis], updates[row * n + c], r);
  }
}

#define ORTL_INSTANTIATE_MOVE(T)                                                                            \
  template void gather<T>(const T*, const int64_t*, int64_t, int64_t, int64_t, int64_t, T*, Parallel&);     \
  template void gather_elements<T>(const T*, const Dims&, const int64_t*, const Dims&, int, T*, Parallel&); \
  template void gather_rows<T>(const T*, const int64_t*, int64_t, int64_t, T*, Parallel&);
ORTL_INSTANTIATE_MOVE(uint8_t)
ORTL_INSTANTIATE_MOVE(uint16_t)
ORTL_INSTANTIATE_MOVE(uint32_t)
ORTL_INSTANTIATE_MOVE(uint64_t)
ORTL_INSTANTIATE_MOVE(std::string)
#undef ORTL_INSTANTIATE_MOVE

#define ORTL_INSTANTIATE_SCATTER(T)                                                             \
  template void scatter_rows<T>(T*, const int64_t*, int64_t, int64_t, const T*, ScatterReduce); \
  template void scatter_elements<T>(T*, const Dims&, const int64_t*, const Dims&, int, const T*, ScatterReduce);
ORTL_INSTANTIATE_SCATTER(uint8_t)
ORTL_INSTANTIATE_SCATTER(uint16_t)
ORTL_INSTANTIATE_SCATTER(uint32_t)
ORTL_INSTANTIATE_SCATTER(uint64_t)
ORTL_INSTANTIATE_SCATTER(int8_t)
ORTL_INSTANTIATE_SCATTER(int16_t)
ORTL_INSTANTIATE_SCATTER(int32_t)
ORTL_INSTANTIATE_SCATTER(int64_t)
ORTL_INSTANTIATE_SCATTER(float)
ORTL_INSTANTIATE_SCATTER(double)
ORTL_INSTANTIATE_SCATTER(std::string)
#undef ORTL_INSTANTIATE_SCATTER

}  // namespace ortl::kernels
