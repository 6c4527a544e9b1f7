// Body of the NCHWc Winograd F(4x4, 3x3) kernels, included once per ISA translation unit
// (nchwc_winograd.cc: baseline, nchwc_winograd_avx2.cc, nchwc_winograd_avx512.cc) inside an
// anonymous namespace, instantiated with that unit's register tile (kR tiles x kNv 16-channel
// blocks, native vectors of kW floats). The transforms run on 16-float GCC vectors (one zmm, two
// ymm or four xmm), one NCHWc channel block per vector, so they need no shuffles; the multiply's
// accumulators are native vectors (wino_micro).
//
// One call of each phase works on a block of T consecutive tiles of one image (tile t covers
// output rows 4 (t / tw) .. + 3 and columns 4 (t % tw) .. + 3):
//   input:    x tiles (6x6 pixels, zero outside) -> V = B^T d B, 36 vectors per (tile, c block),
//             stored V[pos][panel][cb][r][16], panel = t / pr, r = t % pr (pr <= kR tiles per
//             panel, wino_panel_rows): the multiply walks a panel's pr tiles x 16 channels as
//             one contiguous run of pr cache lines per cb.
//   multiply: M[t][pos][k] = sum_c V[pos][t][c] U[pos][c][k]: per (pos, kNv output blocks, panel)
//             a pr x (16 kNv) register tile, U rows loaded as vectors, V broadcast; U for
//             (pos, kNv blocks) (c_in x 16 kNv floats) stays in L1/L2 across the panels.
//   output:   Y tile = A^T M A + bias, the epilogue, stored inside the output only.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <utility>

#include "kernels/conv/conv.h"
#include "kernels/nchwc/nchwc_epilogue_impl.h"

// The vector helpers are internal and inlined; no 64-byte vector crosses an ABI boundary.
#pragma GCC diagnostic ignored "-Wpsabi"

namespace ortl::kernels::nchwc {

// Shape of one image's Winograd problem, shared by every ISA build (nchwc_winograd.cc).
struct WinoDims {
  int64_t ih, iw, oh, ow, ph, pw;
  int64_t tw;     // tiles per tile row: ceil(ow / 4)
  int64_t c, cb;  // input channels (real), input blocks
  int64_t kb;     // output blocks
};

struct WinoKernels {
  int r;  // most tiles per panel (the multiply's register rows); V holds at most T + r - 1 tiles
  // V for tiles t0 .. t0 + T of the image xn (NCHWc).
  void (*input)(const WinoDims& d, const float* xn, int64_t t0, int64_t T, float* v);
  // M [T][36][kb * 16] from V and U [36][kb][cb * 16][16], output blocks k0 .. k1 only.
  void (*multiply)(const WinoDims& d, const float* v, const float* u, int64_t T, int64_t k0, int64_t k1, float* m);
  // yn (NCHWc) tiles t0 .. t0 + T, output blocks k0 .. k1 = A^T M A + bias, then ep (sum_n:
  // ep.sum for this image).
  void (*output)(const WinoDims& d, const float* m, int64_t t0, int64_t T, int64_t k0, int64_t k1, const float* bias,
                 float* yn, const float* sum_n, const ConvEpilogue& ep);
};

namespace {

// The machine's own vector of kW floats (4, 8 or 16): every phase works on these, a 16-channel
// block as 16 / kW of them (GCC keeps 64-byte vectors on the stack where registers are narrower).
template <int kW>
struct WinoNative {
  typedef float type __attribute__((vector_size(4 * kW)));
};

template <class N>
inline N wv_load(const float* p) {
  N v;
  std::memcpy(&v, p, sizeof(v));
  return v;
}
template <class N>
inline void wv_store(float* p, N v) {
  std::memcpy(p, &v, sizeof(v));
}

// z = d B over 6 taps (B^T's rows):
//   z0 = 4 d0 - 5 d2 + d4          z3 = -2 d1 - d2 + 2 d3 + d4
//   z1 = -4 d1 - 4 d2 + d3 + d4    z4 = 2 d1 - d2 - 2 d3 + d4
//   z2 = 4 d1 - 4 d2 - d3 + d4     z5 = 4 d1 - 5 d3 + d5
template <class N>
inline void wino_bt6(const N* d, N* z) {
  const N a = d[0], b = d[1], c = d[2], e = d[3], f = d[4], g = d[5];
  z[0] = 4.f * a - 5.f * c + f;
  z[1] = -4.f * (b + c) + e + f;
  z[2] = 4.f * (b - c) - e + f;
  z[3] = 2.f * (e - b) - c + f;
  z[4] = 2.f * (b - e) - c + f;
  z[5] = 4.f * b - 5.f * e + g;
}

// o = m A over 6 values (A^T rows: (1 1 1 1 1 0) (0 1 -1 2 -2 0) (0 1 1 4 4 0) (0 1 -1 8 -8 1)).
template <class N>
inline void wino_at6(const N* m, N* o) {
  const N a = m[1] + m[2], b = m[1] - m[2], c = m[3] + m[4], e = m[3] - m[4];
  o[0] = m[0] + a + c;
  o[1] = b + 2.f * e;
  o[2] = a + 4.f * c;
  o[3] = b + 8.f * e + m[5];
}

// Tiles per panel for a block of T: the fewest panels of at most kR, as even as they go (16 tiles
// of ResNet-50's 14x14 layers: 8 + 8, not 12 + 4, whose 4-row tail runs at half the FMA rate).
template <int kR>
int64_t wino_panel_rows(int64_t T) {
  return T <= 0 ? 1 : (T + (T + kR - 1) / kR - 1) / ((T + kR - 1) / kR);
}

template <int kR, int kW>
void wino_input(const WinoDims& d, const float* xn, int64_t t0, int64_t T, float* v) {
  using N = typename WinoNative<kW>::type;
  const int64_t pr = wino_panel_rows<kR>(T), pos_stride = (T + pr - 1) / pr * d.cb * pr * 16;
  const int64_t plane = d.ih * d.iw * 16;
  for (int64_t t = 0; t < T; ++t) {
    const int64_t tt = t0 + t, r0 = 4 * (tt / d.tw) - d.ph, c0 = 4 * (tt % d.tw) - d.pw;
    const bool interior = r0 >= 0 && c0 >= 0 && r0 + 6 <= d.ih && c0 + 6 <= d.iw;
    float* vt = v + (t / pr) * d.cb * pr * 16 + (t % pr) * 16;
    for (int64_t cb = 0; cb < d.cb; ++cb) {
      const float* xc = xn + cb * plane;
      float* vc = vt + cb * pr * 16;
      if (interior) {
        // The pixels two tiles on that are not loaded yet: the input comes from L3 or memory.
        for (int i = 0; i < 6; ++i) {
          for (int j = 10; j < 14; ++j) __builtin_prefetch(xc + ((r0 + i) * d.iw + c0 + j) * 16);
        }
      }
      for (int h = 0; h < 16; h += kW) {
        N z[6][6];  // z[i] = row i of d, times B
        for (int i = 0; i < 6; ++i) {
          N row[6];
          const int64_t r = r0 + i;
          if (interior) {
            const float* xr = xc + (r * d.iw + c0) * 16 + h;
            for (int j = 0; j < 6; ++j) row[j] = wv_load<N>(xr + j * 16);
          } else {
            const bool rin = r >= 0 && r < d.ih;
            for (int j = 0; j < 6; ++j) {
              const int64_t c = c0 + j;
              row[j] = rin && c >= 0 && c < d.iw ? wv_load<N>(xc + (r * d.iw + c) * 16 + h) : N{};
            }
          }
          wino_bt6(row, z[i]);
        }
        for (int j = 0; j < 6; ++j) {
          N col[6], out[6];
          for (int i = 0; i < 6; ++i) col[i] = z[i][j];
          wino_bt6(col, out);
          for (int i = 0; i < 6; ++i) wv_store(vc + (i * 6 + j) * pos_stride + h, out[i]);
        }
      }
    }
  }
}

// m[r * mstride + v * 16 ..] = sum_c vp[cb][r][c % 16] * u[v * ustride + c * 16 ..], c < C, for
// r < kRows of a panel laid out with pr tiles per cb (kRows < pr: the last, partial panel), on
// native vectors of kW floats (16 / kW per channel block).
template <int kRows, int kNv, int kW>
void wino_micro(int64_t C, int64_t pr, const float* __restrict vp, const float* __restrict u, int64_t ustride,
                float* __restrict m, int64_t mstride) {
  using N = typename WinoNative<kW>::type;
  constexpr int kS = 16 / kW, kCols = kNv * kS;
  N acc[kRows][kCols];
#pragma GCC unroll 16
  for (int r = 0; r < kRows; ++r) {
#pragma GCC unroll 8
    for (int v = 0; v < kCols; ++v) acc[r][v] = N{};
  }
  for (int64_t c0 = 0; c0 < C; c0 += 16) {
    const int n = static_cast<int>(std::min<int64_t>(16, C - c0));
    const float* a = vp + c0 * pr;
    const float* b = u + c0 * 16;
    for (int ci = 0; ci < n; ++ci) {
      N bv[kCols];
#pragma GCC unroll 8
      for (int v = 0; v < kCols; ++v) bv[v] = wv_load<N>(b + (v / kS) * ustride + ci * 16 + (v % kS) * kW);
#pragma GCC unroll 16
      for (int r = 0; r < kRows; ++r) {
        const float x = a[r * 16 + ci];
        const N av = x - N{};  // a broadcast: x - (+0) is x for every x, so it folds away
#pragma GCC unroll 8
        for (int v = 0; v < kCols; ++v) acc[r][v] += av * bv[v];
      }
    }
  }
#pragma GCC unroll 16
  for (int r = 0; r < kRows; ++r) {
#pragma GCC unroll 8
    for (int v = 0; v < kCols; ++v) wv_store(m + r * mstride + (v / kS) * 16 + (v % kS) * kW, acc[r][v]);
  }
}

using WinoMicroFn = void (*)(int64_t, int64_t, const float*, const float*, int64_t, float*, int64_t);

// micro[rows - 1] for rows = 1 .. kR.
template <int kNv, int kW, int... kRows>
constexpr std::array<WinoMicroFn, sizeof...(kRows)> wino_micros(std::integer_sequence<int, kRows...>) {
  return {&wino_micro<kRows + 1, kNv, kW>...};
}

template <int kR, int kNv, int kW>
void wino_multiply(const WinoDims& d, const float* v, const float* u, int64_t T, int64_t k0, int64_t k1, float* m) {
  static constexpr auto wide = wino_micros<kNv, kW>(std::make_integer_sequence<int, kR>{});
  static constexpr auto narrow = wino_micros<1, kW>(std::make_integer_sequence<int, kR>{});
  const int64_t pr = wino_panel_rows<kR>(T), panels = (T + pr - 1) / pr, cpad = d.cb * 16, kpad = d.kb * 16;
  const int64_t vpos = panels * d.cb * pr * 16, upos = d.kb * cpad * 16, mstride = 36 * kpad;
  for (int pos = 0; pos < 36; ++pos) {
    const float* vq = v + pos * vpos;
    const float* uq = u + pos * upos;
    for (int64_t k = k0; k < k1;) {
      const bool two = k + kNv <= k1;
      const auto& fns = two ? wide : narrow;
      for (int64_t p = 0; p < panels; ++p) {
        const int64_t rows = std::min<int64_t>(pr, T - p * pr);
        fns[rows - 1](d.c, pr, vq + p * d.cb * pr * 16, uq + k * cpad * 16, cpad * 16,
                      m + p * pr * mstride + pos * kpad + k * 16, mstride);
      }
      k += two ? kNv : 1;
    }
  }
}

// The output transform of T tiles for one activation (a template argument: the epilogue runs on
// each output vector in registers, nchwc_epilogue_impl.h).
template <int kW, ConvEpilogue::Act kAct>
void wino_output_act(const WinoDims& d, const float* m, int64_t t0, int64_t T, int64_t k0, int64_t k1,
                     const float* bias, float* yn, const float* sum_n, const ConvEpilogue& ep) {
  using N = typename WinoNative<kW>::type;
  const int64_t kpad = d.kb * 16, plane = d.oh * d.ow * 16;
  const nchwc_epi::Params<N> k(ep);
  for (int64_t t = 0; t < T; ++t) {
    const int64_t tt = t0 + t, r0 = 4 * (tt / d.tw), c0 = 4 * (tt % d.tw);
    const int rows = static_cast<int>(std::min<int64_t>(4, d.oh - r0));
    const int cols = static_cast<int>(std::min<int64_t>(4, d.ow - c0));
    const float* mt = m + t * 36 * kpad;
    for (int64_t kb = k0; kb < k1; ++kb) {
      const int64_t off0 = kb * plane + (r0 * d.ow + c0) * 16;
      for (int h = 0; h < 16; h += kW) {
        const float* mk = mt + kb * 16 + h;
        N s[6][4];  // s[i] = row i of M, times A
        for (int i = 0; i < 6; ++i) {
          N row[6];
          for (int j = 0; j < 6; ++j) row[j] = wv_load<N>(mk + (i * 6 + j) * kpad);
          wino_at6(row, s[i]);
        }
        const N b = bias ? wv_load<N>(bias + kb * 16 + h) : N{};
        N o[4][4];
        for (int jj = 0; jj < 4; ++jj) {
          N col[6], out[4];
          for (int i = 0; i < 6; ++i) col[i] = s[i][jj];
          wino_at6(col, out);
          for (int ii = 0; ii < 4; ++ii) o[ii][jj] = out[ii] + b;
        }
        for (int ii = 0; ii < rows; ++ii) {
          const int64_t off = off0 + ii * d.ow * 16 + h;
          for (int jj = 0; jj < cols; ++jj) {
            N x = o[ii][jj];
            if (sum_n) x += wv_load<N>(sum_n + off + jj * 16);
            wv_store(yn + off + jj * 16, nchwc_epi::act<kAct>(x, k));
          }
        }
      }
    }
  }
}

template <int kW>
void wino_output(const WinoDims& d, const float* m, int64_t t0, int64_t T, int64_t k0, int64_t k1, const float* bias,
                 float* yn, const float* sum_n, const ConvEpilogue& ep) {
  nchwc_epi::dispatch(
      ep.act, [&](auto a) { wino_output_act<kW, decltype(a)::value>(d, m, t0, T, k0, k1, bias, yn, sum_n, ep); });
}

// kR tiles x kNv channel blocks per register tile, on native vectors of kW floats.
template <int kR, int kNv, int kW>
WinoKernels wino_kernels() {
  return {kR, wino_input<kR, kW>, wino_multiply<kR, kNv, kW>, wino_output<kW>};
}

}  // namespace
}  // namespace ortl::kernels::nchwc
