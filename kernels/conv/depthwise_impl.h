// Body of the direct depthwise kernel (one channel plane, 2-D; 1-D as height 1), included once
// per ISA translation unit (conv.cc: baseline, conv_depthwise_avx2.cc) inside an anonymous
// namespace so each copy keeps its own flags. Column padding is materialized first (the plane is
// copied into zero-padded rows) so every output column is interior; rows outside the input are
// skipped per output row. Output columns then run in blocks of 16/8 held in registers (GCC
// vector extensions): acc = bias, one multiply-add per in-bounds tap (a, b) over a contiguous
// (stride 1) or strided load of the input row, one store. Where all kernel rows are inside the
// input and the column stride is 1, two output rows are done together (more independent accumulators). Rows
// narrower than one block take a per-column loop.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <type_traits>
#include <vector>

#include "kernels/conv/conv_common.h"

// The vector helpers are internal and inlined; no 32-byte vector crosses an ABI boundary in the
// baseline (non-AVX) build. Left on for the rest of the including TU: GCC reports this warning at
// the end of the translation unit, after a pop would have re-enabled it.
#pragma GCC diagnostic ignored "-Wpsabi"

namespace ortl::kernels {
namespace {

typedef float DwV8 __attribute__((vector_size(32)));

inline DwV8 dw_load(const float* p) {
  DwV8 v;
  std::memcpy(&v, p, sizeof(v));
  return v;
}
typedef int32_t DwI8 __attribute__((vector_size(32)));
inline DwV8 dw_load_strided(const float* p, int64_t s) {
  if (s == 2) {  // two loads of p[0..7] and p[7..14] and a shuffle, not 8 scalar loads
    return __builtin_shuffle(dw_load(p), dw_load(p + 7), DwI8{0, 2, 4, 6, 9, 11, 13, 15});
  }
  return DwV8{p[0], p[s], p[2 * s], p[3 * s], p[4 * s], p[5 * s], p[6 * s], p[7 * s]};
}
inline void dw_store(float* p, DwV8 v) { std::memcpy(p, &v, sizeof(v)); }

// x: one input plane [ih, iw], w: [kh, kw], y: one output plane [oh, ow].
void depthwise_plane_impl(const ConvParams& p, const float* x_in, const float* w, float bias, float* y) {
  using conv_detail::Range;
  using conv_detail::valid_range;
  const bool two_d = p.in.size() == 2;
  const int64_t ih = two_d ? p.in[0] : 1, iw_in = p.in.back(), oh = two_d ? p.out[0] : 1, ow = p.out.back();
  const int64_t kh = two_d ? p.kernel[0] : 1, kw = p.kernel.back();
  const int64_t sh = two_d ? p.strides[0] : 1, sw = p.strides.back();
  const int64_t dh = two_d ? p.dilations[0] : 1, dw = p.dilations.back();
  const int64_t ph = two_d ? p.pads_begin[0] : 0, pw_in = p.pads_begin.back();
  const float* x = x_in;
  int64_t iw = iw_in, pw = pw_in;
  // Output columns whose every tap b in [0, kw) reads inside the row: the taps' valid ranges
  // are intervals, intersected.
  int64_t clo = 0, chi = ow;
  for (int64_t b = 0; b < kw; ++b) {
    const Range ok = valid_range(b * dw - pw, sw, iw, ow);
    clo = std::max(clo, ok.lo);
    chi = std::min(chi, ok.hi);
  }
  if (kw == 0) chi = clo;  // degenerate: no taps
  if (chi < clo) chi = clo;

  // Column borders: copy the plane into rows padded with the zeros the taps read there (thread
  // scratch slot 1, free on the depthwise path), so every output column is interior.
  if ((clo > 0 || chi < ow) && kw > 0) {
    const int64_t pwid = (ow - 1) * sw + (kw - 1) * dw + 1;  // input columns -pw .. pwid - 1 - pw
    const int64_t lo = std::min(pw, pwid), hi = std::clamp(pw + iw, lo, pwid);
    float* buf = thread_scratch_f32(1, ih * pwid);
    for (int64_t r = 0; r < ih; ++r) {
      float* dst = buf + r * pwid;
      std::fill(dst, dst + lo, 0.f);
      std::memcpy(dst + lo, x_in + r * iw_in + (lo - pw), static_cast<size_t>(hi - lo) * sizeof(float));
      std::fill(dst + hi, dst + pwid, 0.f);
    }
    x = buf, iw = pwid, pw = 0, clo = 0, chi = ow;
  }

  // Per output row: the in-bounds kernel rows (input row pointer, weight row).
  constexpr int64_t kMaxRows = 64;
  const float* xrows_small[kMaxRows];
  const float* wrows_small[kMaxRows];
  std::vector<const float*> xrows_big, wrows_big;
  const float** xrows = xrows_small;
  const float** wrows = wrows_small;
  if (kh > kMaxRows) {
    xrows_big.resize(static_cast<size_t>(kh));
    wrows_big.resize(static_cast<size_t>(kh));
    xrows = xrows_big.data();
    wrows = wrows_big.data();
  }

  auto column = [&](int64_t n, int64_t c) {  // one output column with bounds checks
    float acc = bias;
    for (int64_t i = 0; i < n; ++i) {
      for (int64_t b = 0; b < kw; ++b) {
        const int64_t col = c * sw + b * dw - pw;
        if (col >= 0 && col < iw) acc += wrows[i][b] * xrows[i][col];
      }
    }
    return acc;
  };

  // Output rows whose every kernel row is inside the input: there two rows are done at once
  // (stride 1 columns), sharing the weight loads and giving 8 independent accumulator chains.
  int64_t rlo = 0, rhi = oh;
  for (int64_t a = 0; a < kh; ++a) {
    const Range ok = valid_range(a * dh - ph, sh, ih, oh);
    rlo = std::max(rlo, ok.lo);
    rhi = std::min(rhi, ok.hi);
  }
  if (kh == 0) rhi = rlo;
  if (rhi < rlo) rhi = rlo;

  // Interior columns of the output rows r and r + 1 (all kernel rows in range), 16 at a time.
  // Even and odd kernel rows accumulate separately (more chains in flight), summed at the end.
  auto pair16 = [&](auto kwc, int64_t r, int64_t c0) {
    const int64_t kw = kwc;  // a compile-time constant for the common 3-wide kernel
    const DwV8 init = DwV8{} + bias;
    DwV8 a0 = init, a1 = init, b0 = init, b1 = init;  // row r: even / odd kernel rows
    DwV8 e0 = {}, e1 = {}, f0 = {}, f1 = {};          // row r + 1
    const float* x0 = x + (r * sh - ph) * iw + c0 - pw;
    const float* x1 = x0 + sh * iw;
    int64_t a = 0;
    for (; a + 1 < kh; a += 2) {
      const float* w0 = w + a * kw;
      const float* w1 = w0 + kw;
      const int64_t o0 = a * dh * iw, o1 = o0 + dh * iw;
      for (int64_t k = 0; k < kw; ++k) {
        const float u = w0[k], v = w1[k];
        const int64_t ck = k * dw;
        a0 += u * dw_load(x0 + o0 + ck);
        a1 += u * dw_load(x0 + o0 + ck + 8);
        b0 += u * dw_load(x1 + o0 + ck);
        b1 += u * dw_load(x1 + o0 + ck + 8);
        e0 += v * dw_load(x0 + o1 + ck);
        e1 += v * dw_load(x0 + o1 + ck + 8);
        f0 += v * dw_load(x1 + o1 + ck);
        f1 += v * dw_load(x1 + o1 + ck + 8);
      }
    }
    if (a < kh) {
      const float* w0 = w + a * kw;
      const int64_t o0 = a * dh * iw;
      for (int64_t k = 0; k < kw; ++k) {
        const float u = w0[k];
        const int64_t ck = k * dw;
        a0 += u * dw_load(x0 + o0 + ck);
        a1 += u * dw_load(x0 + o0 + ck + 8);
        b0 += u * dw_load(x1 + o0 + ck);
        b1 += u * dw_load(x1 + o0 + ck + 8);
      }
    }
    float* y0 = y + r * ow + c0;
    dw_store(y0, a0 + e0);
    dw_store(y0 + 8, a1 + e1);
    dw_store(y0 + ow, b0 + f0);
    dw_store(y0 + ow + 8, b1 + f1);
  };

  auto pair8 = [&](auto kwc, int64_t r, int64_t c0) {
    const int64_t kw = kwc;  // a compile-time constant for the common 3-wide kernel
    DwV8 a0 = DwV8{} + bias, b0 = a0, e0 = {}, f0 = {};
    const float* x0 = x + (r * sh - ph) * iw + c0 - pw;
    const float* x1 = x0 + sh * iw;
    int64_t a = 0;
    for (; a + 1 < kh; a += 2) {
      const float* w0 = w + a * kw;
      const float* w1 = w0 + kw;
      const int64_t o0 = a * dh * iw, o1 = o0 + dh * iw;
      for (int64_t k = 0; k < kw; ++k) {
        const float u = w0[k], v = w1[k];
        const int64_t ck = k * dw;
        a0 += u * dw_load(x0 + o0 + ck);
        b0 += u * dw_load(x1 + o0 + ck);
        e0 += v * dw_load(x0 + o1 + ck);
        f0 += v * dw_load(x1 + o1 + ck);
      }
    }
    if (a < kh) {
      const float* w0 = w + a * kw;
      const int64_t o0 = a * dh * iw;
      for (int64_t k = 0; k < kw; ++k) {
        a0 += w0[k] * dw_load(x0 + o0 + k * dw);
        b0 += w0[k] * dw_load(x1 + o0 + k * dw);
      }
    }
    float* y0 = y + r * ow + c0;
    dw_store(y0, a0 + e0);
    dw_store(y0 + ow, b0 + f0);
  };

  for (int64_t r = 0; r < oh; ++r) {
    float* yr = y + r * ow;
    int64_t n = 0;
    for (int64_t a = 0; a < kh; ++a) {
      const int64_t row = r * sh + a * dh - ph;
      if (row < 0 || row >= ih) continue;
      xrows[n] = x + row * iw;
      wrows[n] = w + a * kw;
      ++n;
    }
    const bool pair = sw == 1 && chi - clo >= 16 && r >= rlo && r + 1 < rhi;
    for (int64_t c = 0; c < clo; ++c) yr[c] = column(n, c);
    int64_t c = clo;
    // Interior in blocks; a short tail is recomputed as one more block ending at chi (it overlaps
    // the previous one and stores the same values), so only the borders take the scalar loop.
    if (pair) {
      auto run = [&](auto kwc) {
        for (; c + 16 <= chi; c += 16) pair16(kwc, r, c);
        if (c + 8 <= chi) pair8(kwc, r, c), c += 8;
        if (c < chi) pair8(kwc, r, chi - 8), c = chi;
      };
      if (kw == 3) {
        run(std::integral_constant<int64_t, 3>{});
      } else {
        run(kw);
      }
    } else if (sw == 1) {
      auto block16 = [&](int64_t c0) {
        DwV8 a0 = DwV8{} + bias, a1 = DwV8{} + bias, e0 = {}, e1 = {};
        int64_t i = 0;
        for (; i + 1 < n; i += 2) {
          const float* xs = xrows[i] + c0 - pw;
          const float* xt = xrows[i + 1] + c0 - pw;
          const float* wr = wrows[i];
          const float* wt = wrows[i + 1];
          for (int64_t b = 0; b < kw; ++b) {
            const float u = wr[b], v = wt[b];
            a0 += u * dw_load(xs + b * dw);
            a1 += u * dw_load(xs + b * dw + 8);
            e0 += v * dw_load(xt + b * dw);
            e1 += v * dw_load(xt + b * dw + 8);
          }
        }
        if (i < n) {
          const float* xs = xrows[i] + c0 - pw;
          const float* wr = wrows[i];
          for (int64_t b = 0; b < kw; ++b) {
            const float u = wr[b];
            a0 += u * dw_load(xs + b * dw);
            a1 += u * dw_load(xs + b * dw + 8);
          }
        }
        dw_store(yr + c0, a0 + e0);
        dw_store(yr + c0 + 8, a1 + e1);
      };
      auto block8 = [&](int64_t c0) {
        DwV8 a0 = DwV8{} + bias;
        for (int64_t i = 0; i < n; ++i) {
          const float* xs = xrows[i] + c0 - pw;
          const float* wr = wrows[i];
          for (int64_t b = 0; b < kw; ++b) a0 += wr[b] * dw_load(xs + b * dw);
        }
        dw_store(yr + c0, a0);
      };
      if (chi - clo >= 16) {
        for (; c + 16 <= chi; c += 16) block16(c);
        if (c + 8 <= chi) block8(c), c += 8;
        if (c < chi) block8(chi - 8), c = chi;
      } else if (chi - clo >= 8) {
        block8(c);
        block8(chi - 8);
        c = chi;
      }
    } else {
      auto block8 = [&](int64_t c0) {
        DwV8 a0 = DwV8{} + bias;
        for (int64_t i = 0; i < n; ++i) {
          const float* xs = xrows[i] + c0 * sw - pw;
          const float* wr = wrows[i];
          for (int64_t b = 0; b < kw; ++b) a0 += wr[b] * dw_load_strided(xs + b * dw, sw);
        }
        dw_store(yr + c0, a0);
      };
      if (chi - clo >= 8) {
        for (; c + 8 <= chi; c += 8) block8(c);
        if (c < chi) block8(chi - 8), c = chi;
      }
    }
    for (; c < ow; ++c) yr[c] = column(n, c);
    if (pair) {  // row r + 1: its borders; the interior was written by pair16
      ++r;
      yr += ow;
      for (int64_t i = 0; i < n; ++i) xrows[i] += sh * iw;
      for (int64_t cc = 0; cc < clo; ++cc) yr[cc] = column(n, cc);
      for (int64_t cc = chi; cc < ow; ++cc) yr[cc] = column(n, cc);
    }
  }
}

// Narrow planes (output width <= 16: the 14x14 .. 1x1 maps at the end of mobile
// nets) vectorize across 8 channels instead: the 8 input planes are interleaved into a scratch
// copy [rows][cols][8] with the padding materialized as zeros, so each output pixel is one
// 8-wide multiply-add per tap, then the 8 results are scattered back to their planes.
// xs / ws / bias / ys: per lane (count <= 8 used), the input plane, [kh, kw] weights, bias and
// output plane.
void depthwise_narrow8_impl(const ConvParams& p, const float* const* xs, const float* const* ws, const float* bias,
                            float* const* ys, int count) {
  const bool two_d = p.in.size() == 2;
  const int64_t ih = two_d ? p.in[0] : 1, iw = p.in.back(), oh = two_d ? p.out[0] : 1, ow = p.out.back();
  const int64_t kh = two_d ? p.kernel[0] : 1, kw = p.kernel.back();
  const int64_t sh = two_d ? p.strides[0] : 1, sw = p.strides.back();
  const int64_t dh = two_d ? p.dilations[0] : 1, dw = p.dilations.back();
  const int64_t ph = two_d ? p.pads_begin[0] : 0, pw = p.pads_begin.back();
  if (oh <= 0 || ow <= 0) return;
  // Rows -ph .. PH - 1 - ph and columns -pw .. PW - 1 - pw of the input are what the taps read.
  const int64_t prows = (oh - 1) * sh + std::max<int64_t>(kh - 1, 0) * dh + 1;
  const int64_t pcols = (ow - 1) * sw + std::max<int64_t>(kw - 1, 0) * dw + 1;
  const int64_t taps = kh * kw;
  float* buf = thread_scratch_f32(1, prows * pcols * 8 + taps * 8);
  float* wbuf = buf + prows * pcols * 8;
  std::fill(buf, buf + prows * pcols * 8, 0.f);
  const int64_t r0 = std::max<int64_t>(0, -ph), r1 = std::min(ih, prows - ph);
  const int64_t c0 = std::max<int64_t>(0, -pw), c1 = std::min(iw, pcols - pw);
  for (int l = 0; l < count; ++l) {
    for (int64_t r = r0; r < r1; ++r) {
      const float* src = xs[l] + r * iw;
      float* dst = buf + ((r + ph) * pcols + pw) * 8 + l;
      for (int64_t c = c0; c < c1; ++c) dst[c * 8] = src[c];
    }
  }
  for (int64_t t = 0; t < taps; ++t) {
    for (int l = 0; l < 8; ++l) wbuf[t * 8 + l] = l < count ? ws[l][t] : 0.f;
  }
  DwV8 b = {};
  for (int l = 0; l < count; ++l) b[l] = bias[l];
  for (int64_t r = 0; r < oh; ++r) {
    for (int64_t c = 0; c < ow; ++c) {
      DwV8 acc0 = b, acc1 = {};
      const float* base = buf + (r * sh * pcols + c * sw) * 8;
      int64_t t = 0;
      for (int64_t a = 0; a < kh; ++a) {
        const float* row = base + a * dh * pcols * 8;
        int64_t k = 0;
        for (; k + 1 < kw; k += 2, t += 2) {
          acc0 += dw_load(wbuf + t * 8) * dw_load(row + k * dw * 8);
          acc1 += dw_load(wbuf + (t + 1) * 8) * dw_load(row + (k + 1) * dw * 8);
        }
        if (k < kw) acc0 += dw_load(wbuf + t * 8) * dw_load(row + k * dw * 8), ++t;
      }
      const DwV8 acc = acc0 + acc1;
      for (int l = 0; l < count; ++l) ys[l][r * ow + c] = acc[l];
    }
  }
}

}  // namespace
}  // namespace ortl::kernels
