// Index helpers shared by the im2col (conv.cc) and col2im (conv_transpose.cc) paths. Both walk a
// range of flat spatial positions one last-dim row segment at a time, so the inner loops run
// over contiguous (or constant-stride) memory with the in-bounds range computed once per
// segment instead of one bounds check and index division per element.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "kernels/conv/conv.h"

namespace ortl::kernels::conv_detail {

inline int64_t product(const std::vector<int64_t>& v) {
  int64_t n = 1;
  for (int64_t x : v) n *= x;
  return n;
}

inline int64_t cdiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

inline void unravel(int64_t flat, const std::vector<int64_t>& dims, std::vector<int64_t>& idx) {
  for (size_t d = dims.size(); d-- > 0;) {
    idx[d] = flat % dims[d];
    flat /= dims[d];
  }
}

// [lo, hi): the q with 0 <= q * stride + base < extent, clipped to [0, count).
struct Range {
  int64_t lo, hi;
};
inline Range valid_range(int64_t base, int64_t stride, int64_t extent, int64_t count) {
  const int64_t lo = base >= 0 ? 0 : cdiv(-base, stride);
  const int64_t hi = extent - 1 - base < 0 ? 0 : (extent - 1 - base) / stride + 1;
  const int64_t l = std::min(lo, count), h = std::min(hi, count);
  return {l, std::max(l, h)};
}

// Offset, in `extent` (all dims but the last), of pos[d] * s[d] + k[d] * dil[d] - pad[d] for the
// outer dims; -1 when any of them falls outside.
inline int64_t outer_offset(const ConvParams& p, const std::vector<int64_t>& pos, const std::vector<int64_t>& k,
                            const std::vector<int64_t>& extent) {
  int64_t off = 0;
  for (size_t d = 0; d + 1 < extent.size(); ++d) {
    const int64_t i = pos[d] * p.strides[d] + k[d] * p.dilations[d] - p.pads_begin[d];
    if (i < 0 || i >= extent[d]) return -1;
    off = off * extent[d] + i;
  }
  return off;
}

// Calls fn(idx, first, len, j) for each last-dim row segment of the flat positions
// [begin, begin + count) of `grid`: idx holds the segment's multi-index (idx.back() == first),
// len its length and j its distance from begin.
template <class F>
void for_each_row_segment(const std::vector<int64_t>& grid, int64_t begin, int64_t count, std::vector<int64_t>& idx,
                          F&& fn) {
  const size_t last = grid.size() - 1;
  unravel(begin, grid, idx);
  for (int64_t j = 0; j < count;) {
    const int64_t len = std::min(count - j, grid[last] - idx[last]);
    fn(idx, idx[last], len, j);
    j += len;
    idx[last] = 0;
    for (size_t d = last; d-- > 0;) {
      if (++idx[d] < grid[d]) break;
      idx[d] = 0;
    }
  }
}

// The im2col walk shared by the float and the integer convs: col[(c * k_size + kp) * cols + j]
// is tap kp of output position p0 + j in input channel c, T{0} where the tap falls in the
// padding. copy(dst, src, n, stride) fills the n in-bounds entries of a segment from the input
// row, dst[q] = convert(src[q * stride]).
template <class T, class Src, class Copy>
void im2col_walk(const ConvParams& p, const Src* x, int64_t channels, int64_t p0, int64_t cols, T* col, Copy&& copy) {
  const size_t last = p.in.size() - 1;
  const int64_t in_size = product(p.in), k_size = product(p.kernel);
  const int64_t il = p.in[last], sl = p.strides[last];
  std::vector<int64_t> k(p.in.size()), o(p.in.size());
  for (int64_t kp = 0; kp < k_size; ++kp) {
    unravel(kp, p.kernel, k);
    const int64_t base = k[last] * p.dilations[last] - p.pads_begin[last];
    const Range ok = valid_range(base, sl, il, p.out[last]);
    for_each_row_segment(
        p.out, p0, cols, o, [&](const std::vector<int64_t>& pos, int64_t first, int64_t len, int64_t j) {
          const int64_t outer = outer_offset(p, pos, k, p.in);
          const int64_t lo = std::clamp(ok.lo - first, int64_t{0}, len), hi = std::clamp(ok.hi - first, lo, len);
          for (int64_t c = 0; c < channels; ++c) {
            T* dst = col + (c * k_size + kp) * cols + j;
            if (outer < 0) {
              std::fill(dst, dst + len, T{0});
              continue;
            }
            // Input column of dst[q] is (first + q) * sl + base, inside the row for q in [lo, hi).
            std::fill(dst, dst + lo, T{0});
            if (hi > lo) copy(dst + lo, x + c * in_size + outer * il + (first + lo) * sl + base, hi - lo, sl);
            std::fill(dst + hi, dst + len, T{0});
          }
        });
  }
}

}  // namespace ortl::kernels::conv_detail
