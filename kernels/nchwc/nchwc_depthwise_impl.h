// Body of the NCHWc depthwise conv, included once per ISA translation unit (nchwc_depthwise.cc:
// baseline, nchwc_depthwise_avx2.cc, nchwc_depthwise_avx512.cc) inside an anonymous namespace.
//
// Layout: x [n, CB, ih, iw, 16], packed w [CB, kh, kw, 16], y [n, CB, oh, ow, 16]. Every op is a
// full vector (GCC vector extension) over a block's lanes:
//   out[cb][r][c] = bias[cb] + sum_taps x[cb][r*sh + a*dh - ph][c*sw + b*dw - pw] * w[cb][a][b].
// No shuffles: stride 2 is only addressing.
//
// Work item: one output row of one block, per lane group (a block is one zmm, or 2 ymm / 4 xmm
// done one after the other: every op is lane-wise). Kernel rows whose input row is outside the
// image are dropped for the whole row (a contiguous range [a0, a1)).
// Register tile: kP = 8 consecutive output pixels in 8 accumulators. For compile-time 3x3 / 5x5
// with stride 1 or 2 (MobileNetV2, EfficientNet), per kernel row the tile's kSpan input vectors
// are loaded once each and fed to every (pixel, tap) that reads them, weights in registers:
// 3x3 s1 = 10 loads + 3 weight loads for 24 FMAs, 5x5 s1 = 12 + 5 for 40, so the loop is FMA-bound
// (GCC would otherwise fold the same load into each FMA: 27 loads for 24 FMAs, ~30% slower).
// Borders need no separate code: a "checked" tile loads a zero vector for input columns outside
// [0, iw) (the padding, materialized in registers) and stores only its valid pixels; rows of
// 7 or 14 pixels are one or two checked tiles. Other kernels / strides / dilations take a
// generic path (run-time taps: interior tiles plus per-pixel bounds-checked border columns).
// AVX-512, 3x3 with row stride = column stride (MobileNetV2's): rows run in pairs (dw_row2),
// sharing the input rows the two read and the per-row overhead (7- / 14-wide maps: 25-35%).
// Epilogue in registers before the store: bias is the accumulator's initial value, then ep.sum,
// then the activation (a template argument; nchwc_epilogue_impl.h, SiLU's exp included).
// Pad lanes: weights and bias are zero there, so they come out act(0 + sum), finite.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>

#include "kernels/nchwc/nchwc_epilogue_impl.h"
#include "kernels/nchwc/nchwc_internal.h"
#include "kernels/nchwc/nchwc_vec_impl.h"

namespace ortl::kernels::nchwc {
namespace {

// A block is 16 / kVecW vectors (nchwc_vec_impl.h), computed one after the other ("lane groups":
// every op is lane-wise, so each group is an independent depthwise conv over the same pixels).

// Tile widths: 8 pixels, or 7 where the row is 7 or 14 pixels (MobileNet / EfficientNet
// maps are 7 * 2^k wide), so the last tile of a short row is not partly wasted (5x5 on 14-wide
// rows: ~10% faster; at 28 the 7-wide tile measured slower). Baseline build (16 xmm): 4.
#if defined(__AVX512F__) || defined(__AVX2__)
constexpr int kDwP = 8, kDwPShort = 7;
#else
constexpr int kDwP = 4, kDwPShort = 4;
#endif

// The activation, a template argument of the row functions.
using DwAct = ConvEpilogue::Act;

struct DwRow {
  const Conv2dParams* p;
  const float* x;                    // input block [ih, iw, 16]
  const float* w;                    // weights of the block [kh, kw, 16]
  NVec init;                         // bias vector
  float* y;                          // output row [ow, 16] (all at the lane group's offset)
  const float* s;                    // ep.sum row or null
  int64_t r;                         // output row index
  const nchwc_epi::Params<NVec>* k;  // Clip bounds, LeakyRelu slope
};

template <DwAct kAct>
inline NVec dw_act(NVec v, const nchwc_epi::Params<NVec>& k) {
  return nchwc_epi::act<kAct>(v, k);
}

template <DwAct kAct>
inline NVec dw_finish(NVec v, const DwRow& a, const float* s) {
  if (s) v += nv_ld(s);
  return dw_act<kAct>(v, *a.k);
}

// Epilogue of a tile of kP accumulators (the first n stored): sum, activation, store.
template <int kP, DwAct kAct>
inline void dw_store_tile(const DwRow& a, NVec* acc, int64_t c, int64_t n) {
  const nchwc_epi::Params<NVec> k = *a.k;
  float* y = a.y + c * 16;
  if (a.s) {
    const float* s = a.s + c * 16;
    for (int q = 0; q < kP; ++q)
      if (q < n) acc[q] += nv_ld(s + q * 16);
  }
  for (int q = 0; q < kP; ++q)
    if (q < n) nv_st(y + q * 16, dw_act<kAct>(acc[q], k));
}

// kP output pixels starting at column c (all taps in range). x: first valid kernel row, at the
// input column of pixel c's tap 0; kKw / kSw / kDw = 0 means "read from p at run time".
template <int kKw, int kSw, int kDil, int kP, DwAct kAct>
inline void dw_tile(const DwRow& a, const float* x, const float* w, int64_t rows, int64_t xstep, int64_t c) {
  const Conv2dParams& p = *a.p;
  const int64_t kw = kKw ? kKw : p.kw, sw = kSw ? kSw : p.sw, dw = kDil ? kDil : p.dw;
  NVec acc[kP];
  for (int q = 0; q < kP; ++q) acc[q] = a.init;
  for (int64_t i = 0; i < rows; ++i, x += xstep, w += kw * 16) {
#pragma GCC unroll 8
    for (int64_t b = 0; b < kw; ++b) {
      const NVec wv = nv_ld(w + b * 16);
#pragma GCC unroll 8
      for (int q = 0; q < kP; ++q) acc[q] += wv * nv_ld(x + (q * sw + b * dw) * 16);
    }
  }
  dw_store_tile<kP, kAct>(a, acc, c, kP);
}

// Compile-time kernel width / stride / dilation: the kP pixels of a tile read `kSpan` consecutive
// input vectors per kernel row, each loaded once into a register and used by every tap that
// needs it. A checked tile (the borders, a row's partial last tile) loads a zero vector for
// input columns outside [0, iw) -- the padding, materialized in registers -- and stores only its
// first n pixels; an unchecked tile has every column in range.
template <int kKw, int kSw, int kDil, int kP, DwAct kAct, bool kChecked>
inline void dw_span_tile(const DwRow& a, const float* x, const float* w, int64_t rows, int64_t xstep, int64_t c,
                         int64_t n) {
  constexpr int kSpan = (kP - 1) * kSw + (kKw - 1) * kDil + 1;
  const Conv2dParams& p = *a.p;
  const int64_t col0 = c * kSw - p.pw;
  NVec acc[kP];
  for (int q = 0; q < kP; ++q) acc[q] = a.init;
  const float* xc = x + col0 * 16;
  // Span entries inside the input: [jlo, jhi) (checked tiles only).
  const int jlo = static_cast<int>(std::clamp<int64_t>(-col0, 0, kSpan));
  const int jhi = static_cast<int>(std::clamp<int64_t>(p.iw - col0, 0, kSpan));
  for (int64_t i = 0; i < rows; ++i, xc += xstep, w += kKw * 16) {
    NVec wv[kKw];
#pragma GCC unroll 8
    for (int b = 0; b < kKw; ++b) wv[b] = nv_ld(w + b * 16);
      // Input vector j feeds pixel q through tap b when q * kSw + b * kDil == j.
#pragma GCC unroll 32
    for (int j = 0; j < kSpan; ++j) {
      NVec v = !kChecked || (j >= jlo && j < jhi) ? nv_ld(xc + j * 16) : NVec{};
#if defined(__AVX2__)
      // Keep v in a register: GCC would otherwise fold the load into every FMA that uses it
      // (kKw loads per input vector instead of one, and the tile becomes load-bound).
      asm("" : "+v"(v));
#endif
#pragma GCC unroll 8
      for (int b = 0; b < kKw; ++b) {
        const int d = j - b * kDil;
        if (d >= 0 && d % kSw == 0 && d / kSw < kP) acc[d / kSw] += wv[b] * v;
      }
    }
  }
  dw_store_tile<kP, kAct>(a, acc, c, kChecked ? n : kP);
}

template <int kKw, int kSw, int kDil, DwAct kAct, int kP>
void dw_row(const DwRow& a) {
  const Conv2dParams& p = *a.p;
  const int64_t kw = kKw ? kKw : p.kw, sw = kSw ? kSw : p.sw, dw = kDil ? kDil : p.dw;
  const int64_t iw = p.iw, ow = p.ow, pw = p.pw;
  // Kernel rows inside the input.
  int64_t a0 = p.kh, a1 = 0;
  for (int64_t i = 0; i < p.kh; ++i) {
    const int64_t row = a.r * p.sh + i * p.dh - p.ph;
    if (row >= 0 && row < p.ih) a0 = std::min(a0, i), a1 = i + 1;
  }
  const int64_t rows = std::max<int64_t>(0, a1 - a0), xstep = p.dh * iw * 16;
  const float* xr = a.x + (rows > 0 ? (a.r * p.sh + a0 * p.dh - p.ph) * iw * 16 : 0);
  const float* wr = a.w + a0 * kw * 16;
  // Interior columns: c * sw - pw >= 0 and c * sw + (kw - 1) * dw - pw < iw.
  const int64_t clo = std::min(ow, (pw + sw - 1) / sw);
  const int64_t last = iw - 1 - (kw - 1) * dw + pw;  // largest c * sw allowed
  const int64_t chi = std::clamp<int64_t>(last < 0 ? 0 : last / sw + 1, clo, ow);

  if constexpr (kKw != 0) {
    constexpr int kHalf = kP / 2 > 0 ? kP / 2 : 1;
    int64_t c = 0;
    // Tiles touching the left border, checked.
    for (; c < clo; c += kP) dw_span_tile<kKw, kSw, kDil, kP, kAct, true>(a, xr, wr, rows, xstep, c, ow - c);
    for (; c + kP <= chi; c += kP) dw_span_tile<kKw, kSw, kDil, kP, kAct, false>(a, xr, wr, rows, xstep, c, kP);
    for (; c < ow; c += kP) {
      if (ow - c <= kHalf) {
        dw_span_tile<kKw, kSw, kDil, kHalf, kAct, true>(a, xr, wr, rows, xstep, c, ow - c);
        break;
      }
      dw_span_tile<kKw, kSw, kDil, kP, kAct, true>(a, xr, wr, rows, xstep, c, ow - c);
    }
  } else {
    auto border = [&](int64_t c) {
      NVec acc = a.init;
      const float* x = xr;
      const float* w = wr;
      for (int64_t i = 0; i < rows; ++i, x += xstep, w += kw * 16) {
        for (int64_t b = 0; b < kw; ++b) {
          const int64_t col = c * sw + b * dw - pw;
          if (col >= 0 && col < iw) acc += nv_ld(w + b * 16) * nv_ld(x + col * 16);
        }
      }
      nv_st(a.y + c * 16, dw_finish<kAct>(acc, a, a.s ? a.s + c * 16 : nullptr));
    };
    for (int64_t c = 0; c < clo; ++c) border(c);
    int64_t c = clo;
    for (; c + kP <= chi; c += kP) dw_tile<kKw, kSw, kDil, kP, kAct>(a, xr + (c * sw - pw) * 16, wr, rows, xstep, c);
    for (; c < chi; ++c) dw_tile<kKw, kSw, kDil, 1, kAct>(a, xr + (c * sw - pw) * 16, wr, rows, xstep, c);
    for (; c < ow; ++c) border(c);
  }
}

#if defined(__AVX512F__)
// Two output rows (a.r, a.r + 1) of a 3x3 dilation-1 conv with equal row and column stride kS:
// the pair reads 3 + kS input rows, each span loaded once and fed to both rows' accumulators
// (3x3 s1: 4 span loads per 2 rows instead of 6), and the per-row overhead (tap ranges, the call,
// the border tiles) is shared. 2 kP accumulators + 9 weights + the span vector: 26 of 32 zmm, so
// AVX-512 only. MobileNetV2 3x3: 960x7 s1 16.8 -> 10.1 us, 576x14 s1 33 -> 23, 32x112 s1 89 -> 75.
template <int kS, int kP, DwAct kAct, bool kChecked>
inline void dw_span_tile2(const DwRow& a, const DwRow& a1, const bool* valid, int64_t ir0, int64_t c, int64_t n) {
  constexpr int kRows = 3 + kS, kSpan = (kP - 1) * kS + 3;
  const Conv2dParams& p = *a.p;
  const int64_t col0 = c * kS - p.pw;
  NVec acc0[kP], acc1[kP];
  for (int q = 0; q < kP; ++q) acc0[q] = acc1[q] = a.init;
  NVec wv[3][3];
  for (int i = 0; i < 3; ++i)
    for (int b = 0; b < 3; ++b) wv[i][b] = nv_ld(a.w + (i * 3 + b) * 16);
  const int jlo = static_cast<int>(std::clamp<int64_t>(-col0, 0, kSpan));
  const int jhi = static_cast<int>(std::clamp<int64_t>(p.iw - col0, 0, kSpan));
#pragma GCC unroll 8
  for (int k = 0; k < kRows; ++k) {
    if (!valid[k]) continue;
    const float* xc = a.x + ((ir0 + k) * p.iw + col0) * 16;
#pragma GCC unroll 32
    for (int j = 0; j < kSpan; ++j) {
      NVec v = !kChecked || (j >= jlo && j < jhi) ? nv_ld(xc + j * 16) : NVec{};
      asm("" : "+v"(v));
#pragma GCC unroll 4
      for (int b = 0; b < 3; ++b) {
        const int d = j - b;
        if (d >= 0 && d % kS == 0 && d / kS < kP) {
          if (k < 3) acc0[d / kS] += wv[k][b] * v;
          if (k >= kS && k - kS < 3) acc1[d / kS] += wv[k - kS][b] * v;
        }
      }
    }
  }
  dw_store_tile<kP, kAct>(a, acc0, c, kChecked ? n : kP);
  dw_store_tile<kP, kAct>(a1, acc1, c, kChecked ? n : kP);
}

template <int kS, DwAct kAct, int kP>
void dw_row2(const DwRow& a) {
  const Conv2dParams& p = *a.p;
  const int64_t ow = p.ow, pw = p.pw;
  DwRow a1 = a;
  a1.r = a.r + 1;
  a1.y = a.y + ow * 16;
  if (a.s) a1.s = a.s + ow * 16;
  const int64_t ir0 = a.r * kS - p.ph;
  bool valid[3 + kS];
  for (int k = 0; k < 3 + kS; ++k) valid[k] = ir0 + k >= 0 && ir0 + k < p.ih;
  const int64_t clo = std::min(ow, (pw + kS - 1) / kS);
  const int64_t last = p.iw - 3 + pw;
  const int64_t chi = std::clamp<int64_t>(last < 0 ? 0 : last / kS + 1, clo, ow);
  constexpr int kHalf = kP / 2 > 0 ? kP / 2 : 1;
  int64_t c = 0;
  for (; c < clo; c += kP) dw_span_tile2<kS, kP, kAct, true>(a, a1, valid, ir0, c, ow - c);
  for (; c + kP <= chi; c += kP) dw_span_tile2<kS, kP, kAct, false>(a, a1, valid, ir0, c, kP);
  for (; c < ow; c += kP) {
    if (ow - c <= kHalf) {
      dw_span_tile2<kS, kHalf, kAct, true>(a, a1, valid, ir0, c, ow - c);
      break;
    }
    dw_span_tile2<kS, kP, kAct, true>(a, a1, valid, ir0, c, ow - c);
  }
}
#endif

using DwRowFn = void (*)(const DwRow&);

template <int kKw, int kSw, int kDil, int kP>
DwRowFn dw_pick_act(DwAct act) {
  DwRowFn fn = nullptr;
  nchwc_epi::dispatch(act, [&](auto a) { fn = dw_row<kKw, kSw, kDil, decltype(a)::value, kP>; });
  return fn;
}

template <int kKw, int kSw, int kDil>
DwRowFn dw_pick_tile(const Conv2dParams& p, DwAct act) {
  const bool short_row = p.ow % kDwPShort == 0 && p.ow <= 2 * kDwPShort;
  return short_row ? dw_pick_act<kKw, kSw, kDil, kDwPShort>(act) : dw_pick_act<kKw, kSw, kDil, kDwP>(act);
}

// Compile-time variants for MobileNet / EfficientNet shapes; everything else runs the generic
// row (run-time kernel width, stride and dilation, same code otherwise).
DwRowFn dw_pick_row(const Conv2dParams& p, DwAct act) {
  if (p.dw == 1 && p.kw == 3 && p.sw == 1) return dw_pick_tile<3, 1, 1>(p, act);
  if (p.dw == 1 && p.kw == 3 && p.sw == 2) return dw_pick_tile<3, 2, 1>(p, act);
  if (p.dw == 1 && p.kw == 5 && p.sw == 1) return dw_pick_tile<5, 1, 1>(p, act);
  if (p.dw == 1 && p.kw == 5 && p.sw == 2) return dw_pick_tile<5, 2, 1>(p, act);
  return dw_pick_act<0, 0, 0, kDwP>(act);
}

// The two-row function for these params, or null (then rows run one by one).
DwRowFn dw_pick_row2([[maybe_unused]] const Conv2dParams& p, [[maybe_unused]] DwAct act) {
#if defined(__AVX512F__)
  if (p.kh == 3 && p.kw == 3 && p.dh == 1 && p.dw == 1 && p.sh == p.sw && (p.sw == 1 || p.sw == 2)) {
    const bool short_row = p.ow % kDwPShort == 0 && p.ow <= 2 * kDwPShort;
    DwRowFn fn = nullptr;
    nchwc_epi::dispatch(act, [&](auto a) {
      constexpr DwAct kA = decltype(a)::value;
      if (p.sw == 1) {
        fn = short_row ? dw_row2<1, kA, kDwPShort> : dw_row2<1, kA, kDwP>;
      } else {
        fn = short_row ? dw_row2<2, kA, kDwPShort> : dw_row2<2, kA, kDwP>;
      }
    });
    return fn;
  }
#endif
  return nullptr;
}

void dw_conv2d_impl(const Conv2dParams& p, const float* x, const float* w, const float* bias, float* y,
                    const ConvEpilogue& ep, Parallel& par) {
  const int64_t cb = blocks(p.c_out), rows = p.batch * cb * p.oh;
  if (rows <= 0 || p.ow <= 0) return;
  const nchwc_epi::Params<NVec> k(ep);
  const DwRowFn row_fn = dw_pick_row(p, ep.act), row2_fn = dw_pick_row2(p, ep.act);
  const int64_t in_plane = p.ih * p.iw * 16, out_plane = p.oh * p.ow * 16;
  const double cost = 0.25 * static_cast<double>(p.ow * p.kh * p.kw);
  par.for_range(rows, cost, [&](int64_t begin, int64_t end) {
    DwRow a;
    a.p = &p;
    a.k = &k;
    // Item t = (image * cb + block) * oh + row; decoded once, then stepped (a 64-bit division
    // per row cost ~10% on 7x7 maps).
    int64_t r = begin % p.oh, nb = begin / p.oh, b = nb % cb;  // nb = image * cb + b
    for (int64_t t = begin; t < end; ++t, ++r) {
      if (r == p.oh) {
        r = 0, ++nb;
        if (++b == cb) b = 0;
      }
      const int64_t yo = nb * out_plane + r * p.ow * 16;
      a.r = r;
      // Rows in pairs where a two-row function exists and both rows are this item range's.
      const bool pair = row2_fn != nullptr && r + 1 < p.oh && t + 1 < end;
      for (int64_t g = 0; g < 16; g += kVecW) {
        a.x = x + nb * in_plane + g;
        a.w = w + b * p.kh * p.kw * 16 + g;
        a.init = bias ? nv_ld(bias + b * 16 + g) : NVec{};
        a.y = y + yo + g;
        a.s = ep.sum ? ep.sum + yo + g : nullptr;
        (pair ? row2_fn : row_fn)(a);
      }
      if (pair) ++t, ++r;
    }
  });
}

}  // namespace
}  // namespace ortl::kernels::nchwc
