// Body of the direct conv for few output channels, included once per ISA translation unit
// (conv_few_out.cc: baseline, conv_few_out_avx2.cc, conv_few_out_avx512.cc) inside an anonymous
// namespace, so each copy keeps its own flags.
//
// Why: a conv with C_out <= 8 (SRCNN's last layer: 32 -> 3 channels, 5x5, on 768x768) is a GEMM
// with M = C_out, a sliver of the register tile; computed transposed it needs an im2col of
// C_in * kh * kw floats per output pixel (1.9 GB for that layer, written and read once: 195 ms,
// memory-bound). Here output pixels run along SIMD vectors instead: per output row, blocks of
// kBlocks vectors x up to 4 output channels stay in registers, and per input channel and in-bounds
// tap, kBlocks unaligned loads of the input row and one broadcast weight per output channel feed
// 4 x kBlocks multiply-adds. Nothing is gathered. Columns whose taps leave the input row (the
// padding at both ends) and a tail narrower than a vector go through zero-padded copies of the
// input row spans and a vector-wide output buffer.
//
// Group 1, 2-D, stride 1, any dilation and padding (conv.cc checks before calling).
#pragma once

#include <algorithm>
#include <cstdint>

#include "kernels/conv/conv.h"
#include "kernels/nchwc/nchwc_vec_impl.h"

namespace ortl::kernels {
namespace {

using FoVec = nchwc::NVec;
constexpr int kFoW = nchwc::kVecW;
// The edge blocks' padded row buffer: one vector plus the kernel's dilated width (conv.cc admits
// (kw - 1) * dilation <= kFewOutSpanMax).
constexpr int64_t kFewOutSpan = 16 + kFewOutSpanMax;

struct FewOutGeom {
  int64_t cin, cout, ih, iw, oh, ow, kh, kw, dh, dw, ph, pw;
  explicit FewOutGeom(const ConvParams& p)
      : cin(p.c_in),
        cout(p.c_out),
        ih(p.in[0]),
        iw(p.in[1]),
        oh(p.out[0]),
        ow(p.out[1]),
        kh(p.kernel[0]),
        kw(p.kernel[1]),
        dh(p.dilations[0]),
        dw(p.dilations[1]),
        ph(p.pads_begin[0]),
        pw(p.pads_begin[1]) {}
};

// Adds one input channel's taps to CO output channels over NB vectors of output columns:
// kernel rows r < rows (input rows xr + r * xs, weights wr + r * kw, kw taps dw apart), output
// rows yr + c * ys; first: start from the bias (may be null) rather than from y. Every tap is
// inside the input row. Kept out of line with few arguments, so the accumulators, the input
// vectors and the loop counters all stay in registers.
template <int CO, int NB>
__attribute__((noinline)) void few_out_block(const float* xr, int64_t xs, int64_t rows, const float* wr, int64_t wco,
                                             int64_t kw, int64_t dw, float* yr, int64_t ys, const float* bias,
                                             bool first) {
  FoVec acc[CO][NB];
  for (int c = 0; c < CO; ++c) {
    const float b = bias && first ? bias[c] : 0.f;
    for (int v = 0; v < NB; ++v) acc[c][v] = first ? FoVec{} + b : nchwc::nv_ld(yr + c * ys + v * kFoW);
  }
  for (int64_t r = 0; r < rows; ++r, xr += xs, wr += kw) {
    const float* xp = xr;
    for (int64_t kx = 0; kx < kw; ++kx, xp += dw) {
      FoVec xv[NB];
      for (int v = 0; v < NB; ++v) {
        xv[v] = nchwc::nv_ld(xp + v * kFoW);
        // One load per vector, reused by the CO multiply-adds: GCC would otherwise fold the load
        // into each of them (CO unaligned, mostly line-splitting loads per vector).
        __asm__("" : "+v"(xv[v]));
      }
      for (int c = 0; c < CO; ++c) {
        const float wv = wr[c * wco + kx];
        for (int v = 0; v < NB; ++v) acc[c][v] += xv[v] * wv;
      }
    }
  }
  for (int c = 0; c < CO; ++c) {
    for (int v = 0; v < NB; ++v) nchwc::nv_st(yr + c * ys + v * kFoW, acc[c][v]);
  }
}

// The same for columns [ox, ox + cnt), cnt <= kFoW, whose taps may fall outside the input row
// (the padding at either end) or that are narrower than a vector: each input row span is first
// copied into a zero-padded buffer, and the output goes through a vector-wide buffer.
template <int CO>
inline void few_out_edge_block(const FewOutGeom& g, const float* x, const float* w, const float* bias, float* y,
                               int64_t co0, int64_t ci, bool first, int64_t oy, int64_t ky0, int64_t ky1, int64_t ox,
                               int64_t cnt) {
  FoVec acc[CO];
  float* yr[CO];
  alignas(64) float out[kFoW] = {};
  for (int c = 0; c < CO; ++c) {
    yr[c] = y + ((co0 + c) * g.oh + oy) * g.ow + ox;
    for (int64_t j = 0; j < cnt; ++j) out[j] = first ? (bias ? bias[co0 + c] : 0.f) : yr[c][j];
    acc[c] = nchwc::nv_ld(out);
  }
  const int64_t wco = g.cin * g.kh * g.kw, span = kFoW + (g.kw - 1) * g.dw, x0 = ox - g.pw;
  // Only the part of the span inside the row is copied, for each kernel row; the rest is 0.
  const int64_t lo = std::clamp<int64_t>(-x0, 0, span), hi = std::clamp<int64_t>(g.iw - x0, lo, span);
  alignas(64) float buf[kFewOutSpan];
  for (int64_t j = 0; j < lo; ++j) buf[j] = 0.f;
  for (int64_t j = hi; j < span; ++j) buf[j] = 0.f;
  const float* wc = w + (co0 * g.cin + ci) * g.kh * g.kw;
  for (int64_t ky = ky0; ky < ky1; ++ky) {
    const float* xr = x + (ci * g.ih + oy + ky * g.dh - g.ph) * g.iw + x0;
    for (int64_t j = lo; j < hi; ++j) buf[j] = xr[j];
    const float* wr = wc + ky * g.kw;
    for (int64_t kx = 0; kx < g.kw; ++kx) {
      const FoVec xv = nchwc::nv_ld(buf + kx * g.dw);
      for (int c = 0; c < CO; ++c) acc[c] += xv * wr[c * wco + kx];
    }
  }
  for (int c = 0; c < CO; ++c) {
    nchwc::nv_st(out, acc[c]);
    for (int64_t j = 0; j < cnt; ++j) yr[c][j] = out[j];
  }
}

// One output row, channels co0 .. co0 + CO, input channel by input channel: each channel's kernel
// rows (a few KiB) and the output rows stay in L1 while the column blocks sweep them, rather than
// every block touching all C_in x kh input rows. Columns [clo, chi) have every tap inside the row.
template <int CO>
void few_out_row(const FewOutGeom& g, const float* x, const float* w, const float* bias, float* y, int64_t co0,
                 int64_t oy, int64_t ky0, int64_t ky1, int64_t clo, int64_t chi) {
  constexpr int kBlocks = 4;
  for (int64_t ci = 0; ci < g.cin; ++ci) {
    const bool first = ci == 0;
    for (int64_t ox = 0; ox < clo; ox += kFoW)
      few_out_edge_block<CO>(g, x, w, bias, y, co0, ci, first, oy, ky0, ky1, ox, std::min<int64_t>(kFoW, clo - ox));
    int64_t ox = clo;
    const float* xr = x + (ci * g.ih + oy + ky0 * g.dh - g.ph) * g.iw - g.pw;
    const float* wr = w + ((co0 * g.cin + ci) * g.kh + ky0) * g.kw;
    const float* bc = bias ? bias + co0 : nullptr;
    float* yr = y + (co0 * g.oh + oy) * g.ow;
    const int64_t xs = g.dh * g.iw, ys = g.oh * g.ow, wco = g.cin * g.kh * g.kw, rows = ky1 - ky0;
    for (; ox + kBlocks * kFoW <= chi; ox += kBlocks * kFoW)
      few_out_block<CO, kBlocks>(xr + ox, xs, rows, wr, wco, g.kw, g.dw, yr + ox, ys, bc, first);
    for (; ox + kFoW <= chi; ox += kFoW)
      few_out_block<CO, 1>(xr + ox, xs, rows, wr, wco, g.kw, g.dw, yr + ox, ys, bc, first);
    for (; ox < g.ow; ox += kFoW)
      few_out_edge_block<CO>(g, x, w, bias, y, co0, ci, first, oy, ky0, ky1, ox, std::min<int64_t>(kFoW, g.ow - ox));
  }
}

// Output rows [r0, r1) of the batch (row r: image r / oh, row r % oh), every channel.
void few_out_rows_impl(const ConvParams& p, const float* x, const float* w, const float* bias, float* y, int64_t r0,
                       int64_t r1) {
  const FewOutGeom g(p);
  // Columns whose every tap is inside the row: ox - pw >= 0 and ox + (kw - 1) dw - pw < iw.
  const int64_t clo = std::min(g.pw, g.ow);
  const int64_t chi = std::clamp(g.iw + g.pw - (g.kw - 1) * g.dw, clo, g.ow);
  for (int64_t r = r0; r < r1; ++r) {
    const int64_t n = r / g.oh, oy = r % g.oh;
    // Kernel rows inside the input: 0 <= oy + ky dh - ph < ih.
    int64_t ky0 = 0, ky1 = g.kh;
    while (ky0 < g.kh && oy + ky0 * g.dh - g.ph < 0) ++ky0;
    while (ky1 > ky0 && oy + (ky1 - 1) * g.dh - g.ph >= g.ih) --ky1;
    const float* xn = x + n * g.cin * g.ih * g.iw;
    float* yn = y + n * g.cout * g.oh * g.ow;
    for (int64_t co0 = 0; co0 < g.cout; co0 += 4) {
      switch (std::min<int64_t>(4, g.cout - co0)) {
        case 1: few_out_row<1>(g, xn, w, bias, yn, co0, oy, ky0, ky1, clo, chi); break;
        case 2: few_out_row<2>(g, xn, w, bias, yn, co0, oy, ky0, ky1, clo, chi); break;
        case 3: few_out_row<3>(g, xn, w, bias, yn, co0, oy, ky0, ky1, clo, chi); break;
        default: few_out_row<4>(g, xn, w, bias, yn, co0, oy, ky0, ky1, clo, chi); break;
      }
    }
  }
}

}  // namespace
}  // namespace ortl::kernels
