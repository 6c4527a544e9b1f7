// Templated 2-D float32 MaxPool / AveragePool body over GCC vectors, included once by each ISA
// translation unit (pool.cc: 4 lanes, baseline; pool_avx2.cc: 8; pool_avx512.cc: 16) inside that
// unit's anonymous namespace, so every copy keeps its own flags.
//
// One output row at a time: the window rows inside the input (a per-row tap table, so vertical
// padding costs nothing) are reduced into a row buffer laid out with the left padding and
// trailing columns holding the neutral value, so every output column, borders and ceil_mode
// tails included, runs the same vector loop: stride 1 loads contiguous vectors, stride 2 loads
// two and keeps the even lanes (deinterleave). kN-wide vectors, then 8 and 4 lanes, then one
// 4-wide vector overlapping the previous ones finish a row with no scalar tail (rows of at
// least 4). Other strides and narrower rows go column by column. Planes are tasks for `par`.
// The same units also hold the float32 GlobalMaxPool / GlobalAveragePool body.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <limits>
#include <type_traits>
#include <utility>
#include <vector>

#include "kernels/pool/pool.h"

namespace ortl::kernels {
namespace {

template <int N>
struct VecF {
  typedef float type __attribute__((vector_size(N * sizeof(float))));
};

inline int64_t pool2d_floor_div(int64_t a, int64_t b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }

// Valid taps [lo, hi) and the count_include_pad tap count of each output position of one axis.
struct Pool2dAxis {
  std::vector<int32_t> lo, hi, padded;
  Pool2dAxis(int64_t n, int64_t K, int64_t s, int64_t dl, int64_t in, int64_t pb, int64_t pe)
      : lo(static_cast<size_t>(n)), hi(static_cast<size_t>(n)), padded(static_cast<size_t>(n)) {
    for (int64_t o = 0; o < n; ++o) {
      const int64_t start = o * s - pb;
      const int64_t l = std::min(K, start >= 0 ? 0 : -pool2d_floor_div(start, dl));
      const int64_t h = std::min(K, pool2d_floor_div(in - 1 - start, dl) + 1);
      lo[static_cast<size_t>(o)] = static_cast<int32_t>(l);
      hi[static_cast<size_t>(o)] = static_cast<int32_t>(std::max(h, l));
      padded[static_cast<size_t>(o)] =
          static_cast<int32_t>(std::clamp<int64_t>(pool2d_floor_div(in + pe - start - 1, dl) + 1, 0, K));
    }
  }
};

template <int N>
struct Pool2dVec {
  using V = typename VecF<N>::type;
  static V load(const float* p) {
    V v;
    std::memcpy(&v, p, sizeof(V));
    return v;
  }
  static void store(float* p, V v) { std::memcpy(p, &v, sizeof(V)); }
  template <size_t... I>
  static V evens(V a, V b, std::index_sequence<I...>) {
    return __builtin_shufflevector(a, b, static_cast<int>(2 * I)...);
  }
  // p[0], p[2], ..., p[2N - 2] (reads p[0 .. 2N)).
  static V load_s2(const float* p) { return evens(load(p), load(p + N), std::make_index_sequence<N>()); }
  static V splat(float x) { return V{} + x; }
};

// Horizontal max / sum by halving (N -> N/2 -> ... -> 1).
template <bool kMax, int N>
float pool2d_hreduce(typename VecF<N>::type v) {
  if constexpr (N == 1) {
    return v[0];
  } else {
    using H = typename VecF<N / 2>::type;
    H lo, hi;
    std::memcpy(&lo, &v, sizeof(H));
    std::memcpy(&hi, reinterpret_cast<const char*>(&v) + sizeof(H), sizeof(H));
    if constexpr (kMax) {
      return pool2d_hreduce<kMax, N / 2>(hi > lo ? hi : lo);
    } else {
      return pool2d_hreduce<kMax, N / 2>(lo + hi);
    }
  }
}

struct Pool2dGeom {
  int64_t KW, SW, DW;
};

// Output columns [c, c_end) of one padded, vertically reduced row `x` (column 0 = first pad
// column), N at a time; returns the first column not done. Average scales column c by
// invh[c] * inv_v (1 / horizontal taps, 1 / vertical taps).
template <bool kMax, int N, int kS, int kK>
int64_t pool2d_cols(const float* x, const Pool2dGeom& g, const float* inv, float* y, int64_t c, int64_t c_end) {
  using O = Pool2dVec<N>;
  using V = typename O::V;
  const int64_t KW = kK > 0 ? kK : g.KW;
  for (; c + N <= c_end; c += N) {
    const float* q = x + c * kS;
    V acc = kS == 1 ? O::load(q) : O::load_s2(q);
    for (int64_t kw = 1; kw < KW; ++kw) {
      const V v = kS == 1 ? O::load(q + kw * g.DW) : O::load_s2(q + kw * g.DW);
      if constexpr (kMax) {
        acc = v > acc ? v : acc;
      } else {
        acc += v;
      }
    }
    if constexpr (!kMax) acc *= O::load(inv + c);
    O::store(y + c, acc);
  }
  return c;
}

// Columns [c, c_end), one at a time (rows narrower than 4, strides other than 1 and 2).
template <bool kMax>
void pool2d_cols_scalar(const float* x, const Pool2dGeom& g, const float* inv, float* y, int64_t c, int64_t c_end) {
  for (; c < c_end; ++c) {
    const float* q = x + c * g.SW;
    float acc = q[0];
    for (int64_t kw = 1; kw < g.KW; ++kw) {
      const float v = q[kw * g.DW];
      if constexpr (kMax) {
        acc = v > acc ? v : acc;
      } else {
        acc += v;
      }
    }
    if constexpr (!kMax) acc *= inv[c];
    y[c] = acc;
  }
}

// buf[i] = max / sum of rows[0, nr)[i], i in [i, n), N at a time; returns the first i not done.
template <bool kMax, int N>
int64_t pool2d_vertical(const float* const* rows, int nr, float* buf, int64_t i, int64_t n) {
  using O = Pool2dVec<N>;
  using V = typename O::V;
  for (; i + N <= n; i += N) {
    V acc = O::load(rows[0] + i);
    for (int k = 1; k < nr; ++k) {
      const V v = O::load(rows[k] + i);
      if constexpr (kMax) {
        acc = v > acc ? v : acc;
      } else {
        acc += v;
      }
    }
    O::store(buf + i, acc);
  }
  return i;
}

// The whole 2-D pool for vectors of kN lanes (kN >= 4).
//
// Per output row, the window rows inside the input (a per-row tap table) are reduced into a
// row buffer that holds the row between pad_begin and trailing columns of the neutral value
// (lowest float for max, 0 for average), so every output column, borders and ceil_mode tails
// included, runs the same vector loop. Average multiplies by 1 / taps from a table indexed by
// the row's vertical tap count and the column; a window without counted taps gives NaN.
template <int kN>
struct Pool2dF32 {
  // Runs widths kN, 8, 4, then one 4-wide vector overlapping the last, over [0, n).
  template <class F>
  static void widths(int64_t n, F&& f) {
    int64_t c = f(std::integral_constant<int, kN>(), int64_t{0});
    if constexpr (kN >= 16) c = f(std::integral_constant<int, 8>(), c);
    if constexpr (kN >= 8) c = f(std::integral_constant<int, 4>(), c);
    if (c < n && n >= 4) f(std::integral_constant<int, 4>(), n - 4);
  }

  template <bool kMax, int kS, int kK>
  static void run_t(const PoolParams& p, const float* src, float* dst, Parallel& par) {
    const int64_t IH = p.in[0], IW = p.in[1], OH = p.out[0], OW = p.out[1];
    const int64_t KH = p.kernel[0], SH = p.stride[0], DH = p.dilation[0], PH = p.pad_begin[0];
    const Pool2dGeom g{p.kernel[1], p.stride[1], p.dilation[1]};
    const int64_t PW = p.pad_begin[1];
    const Pool2dAxis th(OH, KH, SH, DH, IH, PH, p.pad_end[0]);
    const Pool2dAxis tw(OW, g.KW, g.SW, g.DW, IW, PW, p.pad_end[1]);
    // Average: inv[v * OW + c] = 1 / (v vertical taps * column c's horizontal taps), NaN for no
    // taps; v <= KH, so the table is small and each output is one multiply.
    std::vector<float> inv;
    if constexpr (!kMax) {
      inv.resize(static_cast<size_t>((KH + 1) * OW));
      for (int64_t v = 0; v <= KH; ++v) {
        for (size_t c = 0; c < static_cast<size_t>(OW); ++c) {
          const int64_t n = v * (p.count_include_pad ? tw.padded[c] : tw.hi[c] - tw.lo[c]);
          inv[static_cast<size_t>(v * OW) + c] =
              n > 0 ? 1.f / static_cast<float>(n) : std::numeric_limits<float>::quiet_NaN();
        }
      }
    }
    // Buffer columns: [0, PW) pad, [PW, PW + IW) the row, then neutral up to the last column a
    // vector load can touch (stride 2 reads one past the last tap).
    const int64_t len = std::max(PW + IW, (OW - 1) * g.SW + (g.KW - 1) * g.DW + 2) + 1;
    const int64_t planes = p.batch * p.channels;
    const double cost = static_cast<double>(OH * (OW * g.KW + IW * KH)) * 0.15 + 20;
    par.for_range(planes, cost, [&](int64_t b, int64_t e) {
      const float neutral = kMax ? std::numeric_limits<float>::lowest() : 0.f;
      std::vector<float> bufv(static_cast<size_t>(len), neutral);
      float* buf = bufv.data();
      float* row = buf + PW;
      std::vector<const float*> rows(static_cast<size_t>(std::max<int64_t>(KH, 1)));
      for (int64_t pl = b; pl < e; ++pl) {
        const float* x = src + pl * IH * IW;
        float* yp = dst + pl * OH * OW;
        for (int64_t oh = 0; oh < OH; ++oh) {
          const size_t u = static_cast<size_t>(oh);
          const int64_t vc = p.count_include_pad ? th.padded[u] : th.hi[u] - th.lo[u];
          const float* inv_row = kMax ? nullptr : inv.data() + vc * OW;
          const float* row0 = x + (oh * SH - PH) * IW;
          int nr = 0;
          for (int32_t kh = th.lo[u]; kh < th.hi[u]; ++kh) rows[static_cast<size_t>(nr++)] = row0 + kh * DH * IW;
          if (nr == 0) {
            std::fill(row, row + IW, neutral);
          } else if (nr == 1) {
            std::memcpy(row, rows[0], static_cast<size_t>(IW) * sizeof(float));
          } else {
            widths(IW, [&](auto w, int64_t i) {
              return pool2d_vertical<kMax, decltype(w)::value>(rows.data(), nr, row, i, IW);
            });
            if (IW < 4) pool2d_vertical<kMax, 1>(rows.data(), nr, row, 0, IW);
          }
          float* y = yp + oh * OW;
          if (kS == 0 || OW < 4) {
            pool2d_cols_scalar<kMax>(buf, g, inv_row, y, 0, OW);
          } else {
            // Stride 2 deinterleaves with a two-source lane permute; at 16 lanes that permute
            // costs more than it saves, so the 16-lane build runs those columns 8 wide.
            auto cols = [&](auto w, int64_t c) {
              return pool2d_cols<kMax, decltype(w)::value, kS, kK>(buf, g, inv_row, y, c, OW);
            };
            if constexpr (kS == 2 && kN > 8) {
              Pool2dF32<8>::widths(OW, cols);
            } else {
              widths(OW, cols);
            }
          }
        }
      }
    });
  }

  template <bool kMax, int kS>
  static void run_k(const PoolParams& p, const float* src, float* dst, Parallel& par) {
    if (p.kernel[1] == 2) {
      run_t<kMax, kS, 2>(p, src, dst, par);
    } else if (p.kernel[1] == 3) {
      run_t<kMax, kS, 3>(p, src, dst, par);
    } else {
      run_t<kMax, kS, 0>(p, src, dst, par);
    }
  }

  template <bool kMax>
  static void run_s(const PoolParams& p, const float* src, float* dst, Parallel& par) {
    if (p.stride[1] == 1) {
      run_k<kMax, 1>(p, src, dst, par);
    } else if (p.stride[1] == 2) {
      run_k<kMax, 2>(p, src, dst, par);
    } else {
      run_t<kMax, 0, 0>(p, src, dst, par);
    }
  }

  // p: 2 spatial axes, kind max or average, float32, no indices.
  static void run(const PoolParams& p, const float* src, float* dst, Parallel& par) {
    if (p.batch * p.channels * p.out[0] * p.out[1] <= 0) return;
    if (p.kind == PoolKind::kMax) {
      run_s<true>(p, src, dst, par);
    } else {
      run_s<false>(p, src, dst, par);
    }
  }

  // GlobalMaxPool / GlobalAveragePool: one value per plane of `plane` elements.
  template <bool kMax>
  static void global_t(int64_t planes, int64_t plane, const float* src, float* dst, Parallel& par) {
    if constexpr (kN > 8) {
      if (plane < 4 * kN) {  // small planes (7x7): 8 lanes waste less on the reduction and tail
        Pool2dF32<8>::template global_t<kMax>(planes, plane, src, dst, par);
        return;
      }
    }
    using O = Pool2dVec<kN>;
    using V = typename O::V;
    par.for_range(planes, static_cast<double>(plane) * 0.3 + 10, [&](int64_t b, int64_t e) {
      for (int64_t c = b; c < e; ++c) {
        const float* s = src + c * plane;
        const float init = kMax ? std::numeric_limits<float>::lowest() : 0.f;
        float acc = init;
        int64_t i = 0;
        if (plane >= kN) {
          V a0 = O::load(s), a1 = O::splat(init);
          for (i = kN; i + 2 * kN <= plane; i += 2 * kN) {
            const V v0 = O::load(s + i), v1 = O::load(s + i + kN);
            if constexpr (kMax) {
              a0 = v0 > a0 ? v0 : a0;
              a1 = v1 > a1 ? v1 : a1;
            } else {
              a0 += v0;
              a1 += v1;
            }
          }
          for (; i + kN <= plane; i += kN) {
            const V v = O::load(s + i);
            if constexpr (kMax) {
              a0 = v > a0 ? v : a0;
            } else {
              a0 += v;
            }
          }
          if constexpr (kMax) {
            acc = pool2d_hreduce<true, kN>(a1 > a0 ? a1 : a0);
          } else {
            acc = pool2d_hreduce<false, kN>(a0 + a1);
          }
        }
        for (; i < plane; ++i) {
          if constexpr (kMax) {
            acc = s[i] > acc ? s[i] : acc;
          } else {
            acc += s[i];
          }
        }
        if constexpr (!kMax)
          acc = plane > 0 ? acc / static_cast<float>(plane) : std::numeric_limits<float>::quiet_NaN();
        dst[c] = acc;
      }
    });
  }

  static void global(PoolKind kind, int64_t planes, int64_t plane, const float* src, float* dst, Parallel& par) {
    if (kind == PoolKind::kMax) {
      global_t<true>(planes, plane, src, dst, par);
    } else {
      global_t<false>(planes, plane, src, dst, par);
    }
  }
};

}  // namespace
}  // namespace ortl::kernels
