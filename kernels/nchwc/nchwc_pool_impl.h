// Body of the NCHWc pools, included once per ISA translation unit (nchwc_pool.cc: baseline,
// nchwc_pool_avx2.cc, nchwc_pool_avx512.cc) inside an anonymous namespace.
//
// Layout: x [n, CB, ih, iw, 16] -> y [n, CB, oh, ow, 16]; one channel block is one zmm (two ymm,
// four xmm), so a tap is one load and one max / add over 16 channels, whatever the stride.
// Windows: per output row the kernel rows inside the input form a range (computed once per row);
// per output column the in-range kernel columns and the average divisor come from a table built
// once per call, so padding and ceil_mode tails cost no per-tap checks. The window is reduced
// separably (rows into a column buffer, then columns; see pool_rows). Work item: one output row
// of one block. Global pools: four accumulators over the hw pixels of a block.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

#include "kernels/nchwc/nchwc.h"
#include "kernels/nchwc/nchwc_vec_impl.h"

namespace ortl::kernels::nchwc {
namespace {

// A block is 16 / kVecW lane groups (nchwc_vec_impl.h), each pooled on its own.
inline NVec pool_max(NVec a, NVec b) { return a > b ? a : b; }

// Taps [lo, hi) of one axis inside the input, and the count_include_pad count (taps inside the
// explicit padding box [-pb, in + pe)).
struct PoolAxis {
  int64_t lo, hi, padded;
};
inline PoolAxis pool_axis(int64_t o, int64_t k, int64_t s, int64_t d, int64_t in, int64_t pb, int64_t pe) {
  PoolAxis a{k, 0, 0};
  for (int64_t i = 0; i < k; ++i) {
    const int64_t pos = o * s + i * d - pb;
    if (pos >= 0 && pos < in) a.lo = std::min(a.lo, i), a.hi = i + 1;
    if (pos >= -pb && pos < in + pe) ++a.padded;
  }
  if (a.hi < a.lo) a.hi = a.lo;  // (dilated windows never hit a gap: the range is contiguous)
  return a;
}

inline NVec pool_op(bool max, NVec a, NVec b) { return max ? pool_max(a, b) : a + b; }

// Horizontal pass of one output pixel over the column buffer; the full-window 3- and 5-tap
// cases unroll (ResNet's 3x3 s2, SPPF's 5x5 s1).
template <bool kMax, int kKw>
inline NVec pool_cols_fixed(const float* b, int64_t step) {
  NVec acc = nv_ld(b);
#pragma GCC unroll 8
  for (int j = 1; j < kKw; ++j) acc = pool_op(kMax, acc, nv_ld(b + j * step));
  return acc;
}

// Max and sum are separable over the window's valid rectangle: at column stride 1, per output row
// and lane group, the valid kernel rows are first reduced into a column buffer (one vector per
// input column, streaming whole input rows), then each output pixel reduces its valid columns of
// the buffer: kh + kw vector ops per output pixel instead of kh * kw (SPPF 5x5 s1: 10, not 25).
// Reduces the valid columns [ca.lo, ca.hi) (non-empty) of a window row at b (tap j at b + j * step).
template <bool kMax>
inline NVec pool_reduce_cols(const float* b, int64_t step, const PoolAxis& ca, int64_t kw) {
  if (ca.lo == 0 && ca.hi == kw && kw == 3) return pool_cols_fixed<kMax, 3>(b, step);
  if (ca.lo == 0 && ca.hi == kw && kw == 5) return pool_cols_fixed<kMax, 5>(b, step);
  NVec acc = nv_ld(b + ca.lo * step);
  for (int64_t j = ca.lo + 1; j < ca.hi; ++j) acc = pool_op(kMax, acc, nv_ld(b + j * step));
  return acc;
}

template <bool kMax>
void pool_rows(const Pool2dParams& p, const std::vector<PoolAxis>& cols, const float* x, float* y, int64_t begin,
               int64_t end) {
  const int64_t in_plane = p.ih * p.iw * 16, out_plane = p.oh * p.ow * 16;
  // Separable only at column stride 1: with stride 2 the vertical pass would reduce about as many
  // vectors as the direct window (ResNet's 3x3 s2: 3 * 112 + 3 * 56 vs 9 * 56) plus the buffer.
  const bool separable = p.sw == 1 && p.kh > 1;
  std::vector<float> buf(separable ? static_cast<size_t>(p.iw * kVecW) : 0);
  float* cb = buf.data();
  const NVec neutral = kMax ? NVec{} - std::numeric_limits<float>::infinity() : NVec{};
  for (int64_t t = begin; t < end; ++t) {
    const int64_t r = t % p.oh, nb = t / p.oh;
    const PoolAxis ra = pool_axis(r, p.kh, p.sh, p.dh, p.ih, p.ph, p.ph_end);
    float* yr = y + nb * out_plane + r * p.ow * 16;
    const int64_t rows = ra.hi - ra.lo;
    for (int g = 0; g < 16; g += kVecW) {
      const float* x0 = x + nb * in_plane + g;
      if (separable) {
        // Vertical pass: buf[col] = reduce over the valid kernel rows of x[row][col].
        for (int64_t i = ra.lo; i < ra.hi; ++i) {
          const float* xi = x0 + (r * p.sh + i * p.dh - p.ph) * p.iw * 16;
          if (i == ra.lo) {
            for (int64_t col = 0; col < p.iw; ++col) nv_st(cb + col * kVecW, nv_ld(xi + col * 16));
          } else {
            for (int64_t col = 0; col < p.iw; ++col)
              nv_st(cb + col * kVecW, pool_op(kMax, nv_ld(cb + col * kVecW), nv_ld(xi + col * 16)));
          }
        }
      }
      for (int64_t c = 0; c < p.ow; ++c) {
        const PoolAxis& ca = cols[static_cast<size_t>(c)];
        const int64_t valid = rows * (ca.hi - ca.lo);
        NVec acc = neutral;
        if (valid > 0 && separable) {  // horizontal pass over the buffer
          acc = pool_reduce_cols<kMax>(cb + (c * p.sw - p.pw) * kVecW, p.dw * kVecW, ca, p.kw);
        } else if (valid > 0) {  // direct: the window's valid rows straight from x
          for (int64_t i = ra.lo; i < ra.hi; ++i) {
            const float* xi = x0 + ((r * p.sh + i * p.dh - p.ph) * p.iw + c * p.sw - p.pw) * 16;
            const NVec v = pool_reduce_cols<kMax>(xi, p.dw * 16, ca, p.kw);
            acc = i == ra.lo ? v : pool_op(kMax, acc, v);
          }
        }
        if constexpr (kMax) {
          if (valid == 0) acc = NVec{} + std::numeric_limits<float>::lowest();
        } else {
          const int64_t n = p.count_include_pad ? ra.padded * ca.padded : valid;
          acc *= n > 0 ? 1.f / static_cast<float>(n) : std::numeric_limits<float>::quiet_NaN();
        }
        nv_st(yr + c * 16 + g, acc);
      }
    }
  }
}

void pool2d_impl(const Pool2dParams& p, const float* x, float* y, Parallel& par) {
  const int64_t rows = p.batch * blocks(p.c) * p.oh;
  if (rows <= 0 || p.ow <= 0) return;
  std::vector<PoolAxis> cols(static_cast<size_t>(p.ow));
  for (int64_t c = 0; c < p.ow; ++c)
    cols[static_cast<size_t>(c)] = pool_axis(c, p.kw, p.sw, p.dw, p.iw, p.pw, p.pw_end);
  par.for_range(rows, 0.3 * static_cast<double>(p.ow * p.kh * p.kw), [&](int64_t begin, int64_t end) {
    if (p.max) {
      pool_rows<true>(p, cols, x, y, begin, end);
    } else {
      pool_rows<false>(p, cols, x, y, begin, end);
    }
  });
}

void global_pool_impl(int64_t n, int64_t c, int64_t hw, bool max, const float* x, float* y, Parallel& par) {
  const int64_t planes = n * blocks(c);
  if (planes <= 0) return;
  par.for_range(planes, 0.3 * static_cast<double>(hw), [&](int64_t begin, int64_t end) {
    for (int64_t bg = begin * 16; bg < end * 16; bg += kVecW) {
      const int64_t b = bg / 16, g = bg % 16;
      const float* xb = x + b * hw * 16 + g;
      const NVec init = max ? NVec{} - std::numeric_limits<float>::infinity() : NVec{};
      NVec a0 = init, a1 = init, a2 = init, a3 = init;
      int64_t i = 0;
      if (max) {
        for (; i + 4 <= hw; i += 4) {
          a0 = pool_max(a0, nv_ld(xb + i * 16)), a1 = pool_max(a1, nv_ld(xb + i * 16 + 16));
          a2 = pool_max(a2, nv_ld(xb + i * 16 + 32)), a3 = pool_max(a3, nv_ld(xb + i * 16 + 48));
        }
        for (; i < hw; ++i) a0 = pool_max(a0, nv_ld(xb + i * 16));
        a0 = pool_max(pool_max(a0, a1), pool_max(a2, a3));
      } else {
        for (; i + 4 <= hw; i += 4) {
          a0 += nv_ld(xb + i * 16), a1 += nv_ld(xb + i * 16 + 16);
          a2 += nv_ld(xb + i * 16 + 32), a3 += nv_ld(xb + i * 16 + 48);
        }
        for (; i < hw; ++i) a0 += nv_ld(xb + i * 16);
        a0 = ((a0 + a1) + (a2 + a3)) * (hw > 0 ? 1.f / static_cast<float>(hw) : 0.f);
      }
      if (hw == 0) a0 = NVec{};
      nv_st(y + b * 16 + g, a0);
    }
  });
}

}  // namespace
}  // namespace ortl::kernels::nchwc
