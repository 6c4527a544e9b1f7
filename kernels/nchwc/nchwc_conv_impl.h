// Templated body of the regular (group 1) NCHWc direct convolution, instantiated once per ISA
// translation unit with that unit's vector traits (nchwc_conv.cc: 4-wide GCC vectors,
// nchwc_conv_avx2.cc: __m256, nchwc_conv_avx512.cc: __m512), each inside an anonymous namespace
// so no code compiled with AVX flags reaches a baseline path.
//
// Layouts: x [N, CBi, IH, IW, 16] (or plain [N, C_in, IH, IW] when input_nchw), y [N, CBo, OH, OW,
// 16], packed W [CBo][n_icb][KH][KW][icpb][16] with icpb = 16 (NCHWc) or C_in (NCHW input,
// n_icb = 1): per output block the K order the kernel walks, contiguous.
//
// Register tile: P consecutive output pixels of one output row x OB output blocks of 16 channels
// (P * OB * 16 / kW accumulators; the ISA file picks P and OB). K loop: input block, valid kernel
// rows, valid kernel columns, the input channels of the block (pad channels of the last block
// skipped); per channel the OB weight rows are vector operands and each of the P input scalars is
// broadcast (with OB = 1 AVX-512 folds it into the FMA). No im2col, no packing of activations.
// Taps whose input row is outside are skipped per output row; columns whose taps all read inside
// the row run P-wide tiles, border columns P = 1 tiles that skip the outside taps (measured
// faster than P-wide border tiles with per-pixel tap ranges: 3x3 256ch 14x14 2155 vs 2665 us).
// Fewer than P pixels left take a smaller-P instantiation (a short row's small remainder is
// evened out with the tile before it: 14 = 7 + 7). Rows up to 28 wide with horizontal padding
// run on a zero-padded copy of x, so they have no border columns (see run). A 1x1 stride-1
// unpadded conv is one long row of IH * IW pixels, so tiles never break at row ends (7x7 / 14x14
// planes).
//
// Epilogue in registers: bias is the accumulator's start, sum (laid out like y) is added before
// the store, then the activation (nchwc_epilogue_impl.h: every ConvEpilogue act, SiLU's exp
// included) on the accumulator. EfficientNet's 1x1 16x112->96 + SiLU: 907 -> 663 us.
//
// Threads take (batch, output block group, output row, row segment) items. Each output element's
// K order is the same whatever the tile or segment it falls in, so results never depend on the
// thread count.
//
// Traits interface: V, kW, kObMax (widest tile in blocks), pmax(ob) (pixels of the ob-block
// tile), ob_max(mode, params) (the tile chosen for a conv), zero, set1, load, store, fmadd,
// add (activations: nchwc_epilogue_impl.h on the plain GCC vector of V's size).
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <numeric>
#include <type_traits>
#include <utility>

#include "kernels/conv/conv.h"
#include "kernels/nchwc/nchwc.h"
#include "kernels/nchwc/nchwc_epilogue_impl.h"

namespace ortl::kernels::nchwc_detail {

using nchwc::Conv2dParams;
using nchwc::kBlock;

// Kernel geometry shared by every tile of one conv call (strides in floats).
struct Geometry {
  int64_t n_icb, icpb;          // input blocks and channels per block (16, or C_in for NCHW x)
  int64_t icpb_last;            // real channels in the last input block
  int64_t x_icb, x_ic;          // x strides: per input block, per input channel
  int64_t x_row, x_col, x_pix;  // x strides: per input row, per input column, per output pixel
  int64_t w_icb, w_ob;          // packed W strides: per input block, per output block
  int64_t y_ob;                 // y (and sum) stride per output block
  int64_t kw, dh, dw;           // kernel width, dilations
  ConvEpilogue::Act act;
  float alpha, beta;
  const ConvEpilogue* ep;
};

// One tile's position: x at the start of the batch image, the input row / column of tap (0, 0)
// for pixel 0 and the valid tap ranges; w, bias, y, sum already at the first output block.
struct Tile {
  const float* x;
  const float* w;
  const float* bias;
  float* y;
  const float* sum;
  int64_t ih0, iw0;
  int64_t kh0, kh1, kw0, kw1;
};

using TileFn = void (*)(const Geometry&, const Tile&);

// The per-ISA builds (nchwc_conv_avx2.cc, nchwc_conv_avx512.cc); nchwc_conv.cc picks one.
void conv2d_avx2(const Conv2dParams& p, const float* x, const float* w, const float* bias, float* y,
                 const ConvEpilogue& ep, Parallel& par);
void conv2d_avx512(const Conv2dParams& p, const float* x, const float* w, const float* bias, float* y,
                   const ConvEpilogue& ep, Parallel& par);

// Modes: 0 NCHWc x, column stride 1 (or one output column); 1 NCHWc, stride 2; 2 NCHWc, any
// stride; 3 NCHW x, any stride; 4 NCHW, stride 2. A compile-time pixel stride makes each of the
// P input scalars a constant displacement from one pointer; a run-time stride costs the 12x2
// tile a register per pixel (3x3 s2 128ch 56x56: 2311 -> 2132 us, first conv 239 -> 226 us).
constexpr int kModes = 5;
constexpr bool mode_nchw(int m) { return m >= 3; }
constexpr int mode_stride(int m) { return m == 0 ? 1 : (m == 1 || m == 4) ? 2 : 0; }

// A tile's accumulators, [pixel][output block][vector].
template <class VT, int P, int OB>
struct Acc {
  typename VT::V v[P][OB][kBlock / VT::kW];
};

// y = act(acc + sum) for the whole tile; act works on the plain GCC vector of V's size (__m256 /
// __m512 carry may_alias, which a template argument drops with a warning).
template <class VT, int P, int OB, class F>
__attribute__((always_inline)) inline void store_acc(const Geometry& g, const Tile& t, const Acc<VT, P, OB>& a, F act) {
  using V = typename VT::V;
  using PV = typename nchwc_epi::FloatVec<sizeof(V)>::type;
  // Locals: through t, every store to y could change t.y / t.sum and forced a reload.
  float* const y = t.y;
  const float* const sum = t.sum;
  const int64_t y_ob = g.y_ob;
#pragma GCC unroll 16
  for (int o = 0; o < OB; ++o) {
#pragma GCC unroll 16
    for (int p = 0; p < P; ++p) {
#pragma GCC unroll 4
      for (int v = 0; v < kBlock / VT::kW; ++v) {
        const int64_t off = o * y_ob + p * kBlock + v * VT::kW;
        const V r = sum ? VT::add(a.v[p][o][v], VT::load(sum + off)) : a.v[p][o][v];
        VT::store(y + off, (V)act((PV)r));
      }
    }
  }
}

// SiLU / HardSwish out of line, in place on the tile's y (already acc + sum). Passing the
// accumulators to an out-of-line function made GCC keep them in a stack copy on every path, a
// store and a load per accumulator per tile (GFLOP/s, no activation: 3x3 512ch 7x7 106-113 ->
// 117-119, 3x3 s2 32->64 320x320 90-95 -> 98-100).
template <bool kSilu, class VT, int P, int OB>
__attribute__((noinline)) void act_transcendental(const Geometry& g, const Tile& t) {
  using V = typename VT::V;
  using PV = typename nchwc_epi::FloatVec<sizeof(V)>::type;
  for (int o = 0; o < OB; ++o) {
    for (int p = 0; p < P; ++p) {
      for (int v = 0; v < kBlock / VT::kW; ++v) {
        float* y = t.y + o * g.y_ob + p * kBlock + v * VT::kW;
        const PV r = (PV)VT::load(y);
        VT::store(y, (V)(kSilu ? nchwc_epi::silu(r) : nchwc_epi::hard_swish(r)));
      }
    }
  }
}

template <class VT, int kMode, int P, int OB, bool kTrans>
void tile(const Geometry& g, const Tile& t) {
  using V = typename VT::V;
  constexpr int kNv = kBlock / VT::kW;
  constexpr bool kNchw = mode_nchw(kMode);
  constexpr int64_t kStride = mode_stride(kMode);
  const int64_t icpb = kNchw ? g.icpb : kBlock;
  const int64_t x_ic = kNchw ? g.x_ic : 1;
  const int64_t x_pix = kStride != 0 ? kStride * (kNchw ? 1 : kBlock) : g.x_pix;
  Acc<VT, P, OB> box;
  auto& acc = box.v;
  for (int o = 0; o < OB; ++o) {
    for (int v = 0; v < kNv; ++v) {
      const V b = t.bias ? VT::load(t.bias + o * kBlock + v * VT::kW) : VT::zero();
      for (int p = 0; p < P; ++p) acc[p][o][v] = b;
    }
  }
  // The channels of one tap. A compile-time count for whole NCHWc blocks: with a run-time count
  // GCC spilled the weight rows of the 12x2 tile to the stack.
  auto channels = [&](const float* xp, const float* wp, auto count) __attribute__((always_inline)) {
    for (int64_t ic = 0; ic < count; ++ic) {
      for (int p = 0; p < P; ++p) {
        const V s = VT::set1(xp[p * x_pix + ic * x_ic]);
        for (int o = 0; o < OB; ++o) {
          for (int v = 0; v < kNv; ++v) {
            acc[p][o][v] = VT::fmadd(s, VT::load(wp + o * g.w_ob + ic * kBlock + v * VT::kW), acc[p][o][v]);
          }
        }
      }
    }
  };
  for (int64_t icb = 0; icb < g.n_icb; ++icb) {
    // The last block's pad channels (zero weights) are skipped.
    const int64_t count = icb + 1 == g.n_icb ? g.icpb_last : icpb;
    const float* xb = t.x + icb * g.x_icb;
    const float* wb = t.w + icb * g.w_icb;
    for (int64_t a = t.kh0; a < t.kh1; ++a) {
      const float* xr = xb + (t.ih0 + a * g.dh) * g.x_row;
      for (int64_t b = t.kw0; b < t.kw1; ++b) {
        const float* xp = xr + (t.iw0 + b * g.dw) * g.x_col;
        const float* wp = wb + (a * g.kw + b) * icpb * kBlock;
        if (!kNchw && count == kBlock) {
          channels(xp, wp, std::integral_constant<int64_t, kBlock>());
        } else if (kNchw && count == 3) {  // RGB images (12x2 tile: first conv 83 -> 86 GFLOP/s)
          channels(xp, wp, std::integral_constant<int64_t, 3>());
        } else {
          channels(xp, wp, count);
        }
      }
    }
  }
  // One switch per tile, each case fully unrolled, so the accumulators stay in registers. SiLU
  // and HardSwish are inlined only in the kTrans instantiations (stride-1 NCHWc convs with those
  // activations: EfficientNet's): inlined in every tile, their code made GCC keep the
  // accumulators on the stack (1x1 2048ch 7x7, no activation: 920 -> 965 us; 16x112->96: 377 ->
  // 391). Other tiles store acc + sum, then apply them in place out of line (act_transcendental).
  using Act = ConvEpilogue::Act;
  using PV = typename nchwc_epi::FloatVec<sizeof(V)>::type;
  const PV lo = nchwc_epi::splat<PV>(g.alpha), hi = nchwc_epi::splat<PV>(g.beta);
  switch (g.act) {
    case Act::kRelu: store_acc(g, t, box, [](PV r) { return nchwc_epi::vmax(r, PV{}); }); break;
    case Act::kClip: store_acc(g, t, box, [&](PV r) { return nchwc_epi::vmin(nchwc_epi::vmax(r, lo), hi); }); break;
    case Act::kLeakyRelu: store_acc(g, t, box, [&](PV r) { return r < 0.f ? r * lo : r; }); break;
    case Act::kHardSwish:
      if constexpr (kTrans) {
        store_acc(g, t, box, [](PV r) { return nchwc_epi::hard_swish(r); });
      } else {
        store_acc(g, t, box, [](PV r) { return r; });
        act_transcendental<false, VT, P, OB>(g, t);
      }
      break;
    case Act::kSilu:
      if constexpr (kTrans) {
        store_acc(g, t, box, [](PV r) { return nchwc_epi::silu(r); });
      } else {
        store_acc(g, t, box, [](PV r) { return r; });
        act_transcendental<true, VT, P, OB>(g, t);
      }
      break;
    default: store_acc(g, t, box, [](PV r) { return r; }); break;
  }
}

template <class VT, int kMode, int P, int OB, bool kTrans>
constexpr TileFn pick_tile() {
  if constexpr (P > VT::pmax(OB)) {
    return nullptr;
  } else {
    return &tile<VT, kMode, P, OB, kTrans>;
  }
}

constexpr int kPmaxAll = 16;
using TileRow = std::array<TileFn, kPmaxAll + 1>;  // [P], P = 0 unused

template <class VT, int kMode, int OB, bool kTrans, int... Ps>
constexpr TileRow make_row(std::integer_sequence<int, Ps...>) {
  return TileRow{nullptr, pick_tile<VT, kMode, Ps + 1, OB, kTrans>()...};
}

// [OB][P] for one mode; OB = 0 unused.
template <class VT, int kMode, bool kTrans, int... OBs>
constexpr std::array<TileRow, sizeof...(OBs) + 1> make_table(std::integer_sequence<int, OBs...>) {
  return {TileRow{}, make_row<VT, kMode, OBs + 1, kTrans>(std::make_integer_sequence<int, kPmaxAll>())...};
}

template <class VT>
struct Conv {
  static_assert(VT::pmax(1) <= kPmaxAll);
  using Table = std::array<TileRow, VT::kObMax + 1>;
  static constexpr auto kObs = std::make_integer_sequence<int, VT::kObMax>();
  static constexpr Table kTables[kModes] = {make_table<VT, 0, false>(kObs), make_table<VT, 1, false>(kObs),
                                            make_table<VT, 2, false>(kObs), make_table<VT, 3, false>(kObs),
                                            make_table<VT, 4, false>(kObs)};
  // Mode 0 with SiLU / HardSwish inlined.
  static constexpr Table kTransTable = make_table<VT, 0, true>(kObs);

  static int64_t cdiv(int64_t a, int64_t b) { return (a + b - 1) / b; }
  // Taps j in [0, k) with 0 <= base + j * d < n: an interval [lo, hi).
  static std::pair<int64_t, int64_t> taps(int64_t base, int64_t d, int64_t k, int64_t n) {
    const int64_t lo = base >= 0 ? 0 : cdiv(-base, d);
    const int64_t hi = base >= n ? 0 : std::min(k, cdiv(n - base, d));
    return {std::min(lo, k), std::max(hi, std::min(lo, k))};
  }

  static void run(const Conv2dParams& p_in, const float* x, const float* w, const float* bias, float* y,
                  const ConvEpilogue& ep, Parallel& par) {
    Conv2dParams p = p_in;
    if (p.batch <= 0 || p.oh <= 0 || p.ow <= 0 || p.c_out <= 0) return;
    const bool nchw = p.input_nchw;
    // A 1x1 stride-1 unpadded conv is one row of IH * IW pixels.
    if (p.kh == 1 && p.kw == 1 && p.sh == 1 && p.sw == 1 && p.ph == 0 && p.pw == 0 && p.oh == p.ih && p.ow == p.iw) {
      p.iw = p.ow = p.ih * p.iw;
      p.ih = p.oh = 1;
    }
    // Narrow rows with horizontal padding: x is copied once into a buffer padded with zero columns
    // so every column runs in full-width tiles (a 7-wide row of a padded 3x3 was two P = 1 border
    // tiles, latency-bound on their 2 accumulators, and a 5-pixel tile; rows of the padded copy
    // keep the vertical tap skipping). 3x3 512ch 7x7: 2450-2630 -> 1950-1990 us; 3x3 s2 128ch
    // 56 -> 28: 2280-2360 -> 2120-2190 (the copy: 1.6 MB).
    if (!nchw && p.pw > 0 && p.ow <= 28) {
      const int64_t piw = (p.ow - 1) * p.sw + (p.kw - 1) * p.dw + 1;
      const int64_t planes = p.batch * nchwc::blocks(p.c_in);
      float* xp = thread_scratch_f32(2, planes * p.ih * piw * kBlock);
      par.for_range(planes, static_cast<double>(p.ih * piw) / 4.0, [&](int64_t begin, int64_t end) {
        for (int64_t r = begin * p.ih; r < end * p.ih; ++r) {
          const float* src = x + r * p.iw * kBlock;
          float* dst = xp + r * piw * kBlock;
          for (int64_t c = 0; c < piw; ++c) {
            const int64_t ic = c - p.pw;
            if (ic >= 0 && ic < p.iw) {
              std::copy(src + ic * kBlock, src + (ic + 1) * kBlock, dst + c * kBlock);
            } else {
              std::fill(dst + c * kBlock, dst + (c + 1) * kBlock, 0.f);
            }
          }
        }
      });
      x = xp, p.iw = piw, p.pw = 0;
    }
    const int mode = nchw ? (p.sw == 2 && p.ow > 1 ? 4 : 3) : (p.sw == 1 || p.ow == 1 ? 0 : p.sw == 2 ? 1 : 2);
    const int64_t cbo = nchwc::blocks(p.c_out), plane = p.ih * p.iw;
    Geometry g;
    g.n_icb = nchw ? 1 : nchwc::blocks(p.c_in);
    g.icpb = nchw ? p.c_in : kBlock;
    g.icpb_last = p.c_in - (g.n_icb - 1) * g.icpb;
    g.x_icb = plane * kBlock;
    g.x_ic = plane;
    g.x_row = nchw ? p.iw : p.iw * kBlock;
    g.x_col = nchw ? 1 : kBlock;
    g.x_pix = g.x_col * p.sw;
    g.w_icb = p.kh * p.kw * g.icpb * kBlock;
    g.w_ob = g.n_icb * g.w_icb;
    g.y_ob = p.oh * p.ow * kBlock;
    g.kw = p.kw, g.dh = p.dh, g.dw = p.dw;
    g.act = ep.act, g.alpha = ep.alpha, g.beta = ep.beta, g.ep = &ep;
    const int64_t x_image = nchw ? p.c_in * plane : g.n_icb * plane * kBlock;
    const int64_t y_image = cbo * g.y_ob;

    // Output blocks in groups of at most ob_max, balanced: 5 blocks with ob_max 2 -> 1, 2, 2.
    const int64_t ob_cap = std::min<int64_t>(VT::ob_max(mode, p), VT::kObMax);
    const int64_t groups = cdiv(cbo, ob_cap);
    // Columns whose every tap is inside the row.
    int64_t clo = 0, chi = p.ow;
    for (int64_t b = 0; b < p.kw; ++b) {
      const auto r = taps(b * p.dw - p.pw, p.sw, p.ow, p.iw);
      clo = std::max(clo, r.first), chi = std::min(chi, r.second);
    }
    chi = std::max(chi, clo);
    // Row segments: enough items for the pool when rows are few (7x7 planes run as one row);
    // each a multiple of the widths of this conv's (at most two) tile heights, so segments add no
    // remainder tiles (the lcm over all four, 336, would leave a flattened 7x7 plane one segment).
    const int nt = std::max(1, par.num_threads());
    const int64_t unit =
        std::lcm<int64_t>(VT::pmax(static_cast<int>(cbo / groups)), VT::pmax(static_cast<int>(cdiv(cbo, groups))));
    const int64_t rows = p.batch * groups * p.oh;
    int64_t segs = 1;
    if (nt > 1 && rows < 8 * nt) segs = std::min(cdiv(8 * nt, rows), cdiv(p.ow, unit));
    const int64_t seg_len = cdiv(cdiv(p.ow, segs), unit) * unit;
    segs = cdiv(p.ow, seg_len);
    // Cost hint: multiply-adds / 15 per ns (about 30 GFLOP/s, a conservative single core).
    const double macs = static_cast<double>(seg_len * ob_cap * kBlock * g.n_icb * g.icpb * p.kh * p.kw);

    // Item order: when the weights are smaller than an input image, all output block groups of a
    // row run back to back, so the input rows they share stay in L2 (3x3 s2 32->64 on 320x320,
    // 13 MB of input: 14.4-15.9 -> 10.5-13.2 ms, memory-bound and noisy); otherwise one group
    // sweeps all rows with its weights cached.
    const bool rows_outer = g.w_ob * cbo < x_image;
    const bool trans = ep.act == ConvEpilogue::Act::kSilu || ep.act == ConvEpilogue::Act::kHardSwish;
    const Table& table = trans && mode == 0 ? kTransTable : kTables[mode];
    par.for_range(rows * segs, macs / 15.0, [&](int64_t begin, int64_t end) {
      for (int64_t item = begin; item < end; ++item) {
        const int64_t seg = item % segs, n = item / segs / p.oh / groups;
        const int64_t oh = rows_outer ? item / segs / groups % p.oh : item / segs % p.oh;
        const int64_t grp = rows_outer ? item / segs % groups : item / segs / p.oh % groups;
        const int64_t ob0 = cbo * grp / groups, ob = cbo * (grp + 1) / groups - ob0;
        const TileRow& row = table[ob];
        const int64_t c0 = seg * seg_len, c1 = std::min(p.ow, c0 + seg_len);
        Tile t;
        t.x = x + n * x_image;
        t.w = w + ob0 * g.w_ob;
        t.bias = bias ? bias + ob0 * kBlock : nullptr;
        const int64_t y_off = n * y_image + ob0 * g.y_ob + oh * p.ow * kBlock;
        t.ih0 = oh * p.sh - p.ph;
        const auto kr = taps(t.ih0, p.dh, p.kh, p.ih);
        t.kh0 = kr.first, t.kh1 = kr.second;
        auto at = [&](int64_t col) {
          t.y = y + y_off + col * kBlock;
          t.sum = ep.sum ? ep.sum + y_off + col * kBlock : nullptr;
          t.iw0 = col * p.sw - p.pw;
        };
        auto border = [&](int64_t col) {
          at(col);
          const auto cr = taps(t.iw0, p.dw, p.kw, p.iw);
          t.kw0 = cr.first, t.kw1 = cr.second;
          row[1](g, t);
        };
        for (int64_t col = c0; col < std::min(c1, clo); ++col) border(col);
        t.kw0 = 0, t.kw1 = p.kw;
        // pmax-wide tiles; in a short row (under 3 pmax) a remainder under pmax / 2 shares the
        // last tile's pixels evenly (14 = 7 + 7, 28 = 12 + 8 + 8, not 12 + 2 / 12 + 12 + 4, whose
        // few accumulators leave the FMA units waiting on latency). Long rows (flattened 1x1
        // planes) keep the remainder tile: the same rule there was mixed (1x1 2048ch 7x7, 12x2:
        // 922 -> 956 us; 160->960ch 7x7, 16x1: 150 -> 144).
        const int64_t pmax = VT::pmax(ob);
        int64_t col = std::max(c0, clo);
        const int64_t stop = std::min(c1, chi);
        const int64_t len = std::max<int64_t>(0, stop - col), rem = len % pmax;
        const int64_t full = len / pmax - (rem != 0 && rem < pmax / 2 && len > pmax && len < 3 * pmax ? 1 : 0);
        for (int64_t i = 0; i < full; ++i, col += pmax) {
          at(col);
          row[pmax](g, t);
        }
        const int64_t left = stop - col, half = left > pmax ? (left + 1) / 2 : left;
        if (left > 0) {
          at(col);
          row[half](g, t);
        }
        if (left > half) {
          at(col + half);
          row[left - half](g, t);
        }
        for (col = std::max(c0, std::max(chi, clo)); col < c1; ++col) border(col);
      }
    });
  }
};

}  // namespace ortl::kernels::nchwc_detail
