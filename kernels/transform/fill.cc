// The small generators and scans: Trilu, EyeLike, OneHot, NonZero, CumSum.
// Row-wise loops the compiler vectorizes; Trilu is split across threads by matrix row.
#include <algorithm>
#include <cstring>

#include "kernels/transform/transform.h"

namespace ortl::kernels {

template <class T>
void trilu(const T* src, T* dst, int64_t batch, int64_t rows, int64_t cols, int64_t k, bool upper, Parallel& par) {
  k = std::clamp<int64_t>(k, -rows - 1, cols + 1);  // same triangles, and i + k cannot overflow
  par.for_range(batch * rows, static_cast<double>(cols) * 0.3 + 2.0, [&](int64_t b, int64_t e) {
    for (int64_t r = b; r < e; ++r) {
      const int64_t i = r % rows;
      const T* s = src + r * cols;
      T* d = dst + r * cols;
      // Lower keeps columns j <= i + k, upper keeps j >= i + k.
      const int64_t edge = std::clamp<int64_t>(upper ? i + k : i + k + 1, 0, cols);
      const int64_t keep0 = upper ? edge : 0, keep1 = upper ? cols : edge;
      std::fill(d, d + keep0, T{});
      if (s != d) std::copy(s + keep0, s + keep1, d + keep0);  // in place: already there
      std::fill(d + keep1, d + cols, T{});
    }
  });
}

template <class T>
void eye(T* dst, int64_t rows, int64_t cols, int64_t k, const T& zero, const T& one) {
  std::fill_n(dst, rows * cols, zero);
  if (k >= cols || k <= -rows) return;  // no diagonal inside (and -k below cannot overflow)
  for (int64_t i = k < 0 ? -k : 0; i < rows && i + k < cols; ++i) dst[i * cols + i + k] = one;
}

template <class T>
void one_hot(const int64_t* idx, int64_t outer, int64_t depth, int64_t inner, const T& off, const T& on, T* dst) {
  std::fill_n(dst, outer * depth * inner, off);
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t i = 0; i < inner; ++i) {
      const int64_t v = idx[o * inner + i];
      if (v >= 0 && v < depth) dst[(o * depth + v) * inner + i] = on;
    }
  }
}

namespace {

template <class T, class IsNonZero>
int64_t nonzero_impl(const T* src, const Dims& shape, int64_t* dst, IsNonZero nz) {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  int64_t count = 0;
  for (int64_t i = 0; i < n; ++i) count += nz(src[i]) ? 1 : 0;
  if (!dst || count == 0) return count;
  const int r = static_cast<int>(shape.size());
  Dims coord(r, 0);
  int64_t j = 0;
  for (int64_t i = 0; i < n; ++i) {
    if (nz(src[i])) {
      for (int k = 0; k < r; ++k) dst[k * count + j] = coord[k];
      ++j;
    }
    for (int k = r - 1; k >= 0; --k) {
      if (++coord[k] < shape[k]) break;
      coord[k] = 0;
    }
  }
  return count;
}

}  // namespace

template <class T>
int64_t nonzero(const T* src, const Dims& shape, int64_t* dst) {
  return nonzero_impl(src, shape, dst, [](const T& v) { return v != T{}; });
}

int64_t nonzero_half(const uint16_t* src, const Dims& shape, int64_t* dst) {
  return nonzero_impl(src, shape, dst, [](uint16_t v) { return (v & 0x7fffu) != 0; });
}

namespace {

template <class T, class Op>
void scan(const T* src, T* dst, int64_t outer, int64_t n, int64_t inner, bool exclusive, bool reverse, T init, Op op) {
  std::vector<T> acc(static_cast<size_t>(inner));
  for (int64_t o = 0; o < outer; ++o) {
    const T* s = src + o * n * inner;
    T* d = dst + o * n * inner;
    std::fill(acc.begin(), acc.end(), init);
    for (int64_t step = 0; step < n; ++step) {
      const int64_t j = reverse ? n - 1 - step : step;
      const T* sr = s + j * inner;
      T* dr = d + j * inner;
      if (exclusive) {
        for (int64_t i = 0; i < inner; ++i) {
          const T x = sr[i];  // read before the write: src and dst may be one buffer
          dr[i] = acc[i];
          acc[i] = op(acc[i], x);
        }
      } else {
        for (int64_t i = 0; i < inner; ++i) dr[i] = acc[i] = op(acc[i], sr[i]);
      }
    }
  }
}

}  // namespace

template <class T>
void cumsum(const T* src, T* dst, int64_t outer, int64_t n, int64_t inner, bool exclusive, bool reverse) {
  scan(src, dst, outer, n, inner, exclusive, reverse, T{0}, [](T a, T b) { return static_cast<T>(a + b); });
}

template <class T>
void cumprod(const T* src, T* dst, int64_t outer, int64_t n, int64_t inner, bool exclusive, bool reverse) {
  scan(src, dst, outer, n, inner, exclusive, reverse, T{1}, [](T a, T b) { return static_cast<T>(a * b); });
}

#define ORTL_INSTANTIATE_MOVE(T)                                                             \
  template void trilu<T>(const T*, T*, int64_t, int64_t, int64_t, int64_t, bool, Parallel&); \
  template void eye<T>(T*, int64_t, int64_t, int64_t, const T&, const T&);                   \
  template void one_hot<T>(const int64_t*, int64_t, int64_t, int64_t, const T&, const T&, T*);
ORTL_INSTANTIATE_MOVE(uint8_t)
ORTL_INSTANTIATE_MOVE(uint16_t)
ORTL_INSTANTIATE_MOVE(uint32_t)
ORTL_INSTANTIATE_MOVE(uint64_t)
ORTL_INSTANTIATE_MOVE(std::string)
#undef ORTL_INSTANTIATE_MOVE

#define ORTL_INSTANTIATE_NUMERIC(T)                                             \
  template int64_t nonzero<T>(const T*, const Dims&, int64_t*);                 \
  template void cumsum<T>(const T*, T*, int64_t, int64_t, int64_t, bool, bool); \
  template void cumprod<T>(const T*, T*, int64_t, int64_t, int64_t, bool, bool);
ORTL_INSTANTIATE_NUMERIC(uint8_t)
ORTL_INSTANTIATE_NUMERIC(uint16_t)
ORTL_INSTANTIATE_NUMERIC(uint32_t)
ORTL_INSTANTIATE_NUMERIC(uint64_t)
ORTL_INSTANTIATE_NUMERIC(int8_t)
ORTL_INSTANTIATE_NUMERIC(int16_t)
ORTL_INSTANTIATE_NUMERIC(int32_t)
ORTL_INSTANTIATE_NUMERIC(int64_t)
ORTL_INSTANTIATE_NUMERIC(float)
ORTL_INSTANTIATE_NUMERIC(double)
#undef ORTL_INSTANTIATE_NUMERIC

}  // namespace ortl::kernels
