// AVX-512 NCHWc direct conv: one zmm per 16-channel block. Tiles (pixels x output blocks):
// 16x1, 12x2, 8x3 and 7x4 (16, 24, 24 or 28 zmm accumulators). In the 16x1 tile every input
// scalar is an embedded-broadcast FMA operand (vfmadd231ps mem{1to16}); the wider tiles broadcast
// once into a register for their OB FMAs. Measured on Zen 4, single thread (us, 1x1 stride 1):
//   16x112x112->96: 6x4 597, 12x2 495, 16x1 388;  32x28x28->192: 112 / 103 / 89;
//   960x7x7->320: 273 / 269 / 283;  2048x7x7->512: 936 / 908 / 961;
// so 16x1 for 1x1 stride-1 convs with C_in <= 192 (short K, many output pixels), 12x2 for the
// other 1x1 stride-1 convs (a 6x4 tile there, GFLOP/s: 1x1 64->256 56x56 110 -> 99, 24->144 104 ->
// 85). 3x3 stride-1 and stride-2 NCHWc convs take up to 4 blocks (GFLOP/s, 12x2 -> 7x4; 16x1):
// 3x3 512ch 7x7 (one 7-pixel tile a row) 100-113 -> 120; 82-98, 3x3 256ch 14x14 113 -> 119,
// 1x1 s2 256->128 56x56 101 -> 108 (6x4: 102); 100, 3x3 s2 32->64 320x320 (one pass over each
// input row instead of two) 89 -> 97; 81-85. NCHW input (RGB images: K = 27 or 147) is best
// with 16x1: first conv 3x3 s2 3->32 85 (12x2) -> 97, 7x7 s2 stem 105 (7x4) -> 106. More
// pixels (20, 24 in 16x1; 14x2) spill: 1.5-2x slower.
#include <immintrin.h>

#include "kernels/nchwc/nchwc_conv_impl.h"

namespace ortl::kernels::nchwc_detail {
namespace {

struct Avx512 {
  using V = __m512;
  static constexpr int kW = 16;
  static constexpr int kObMax = 4;
  static constexpr int pmax(int ob) { return ob == 4 ? 7 : ob == 3 ? 8 : ob == 2 ? 12 : 16; }
  static int64_t ob_max(int mode, const Conv2dParams& p) {
    const bool unit = p.kh == 1 && p.kw == 1;
    if (mode == 0 && unit) return p.c_in <= 192 ? 1 : 2;
    // NCHW input (RGB first layers): stride 1 takes the 7x4 tile (4 weight rows per broadcast
    // pixel; SRCNN's 9x9 3 -> 64 on 256x256: 23.8 -> 19.3 ms, oneDNN 18.1), stride 2 the 16x1 one
    // (ResNet's 7x7 and MobileNet's 3x3: wider tiles were 1-12% slower).
    if (mode == 3) return p.sw == 1 ? 4 : 1;
    return mode == 4 ? 1 : mode == 2 ? 2 : 4;
  }
  static V zero() { return _mm512_setzero_ps(); }
  static V set1(float x) { return _mm512_set1_ps(x); }
  static V load(const float* p) { return _mm512_loadu_ps(p); }
  static void store(float* p, V v) { _mm512_storeu_ps(p, v); }
  static V fmadd(V a, V b, V c) { return _mm512_fmadd_ps(a, b, c); }
  static V add(V a, V b) { return _mm512_add_ps(a, b); }
};

}  // namespace

void conv2d_avx512(const Conv2dParams& p, const float* x, const float* w, const float* bias, float* y,
                   const ConvEpilogue& ep, Parallel& par) {
  Conv<Avx512>::run(p, x, w, bias, y, ep, par);
}

}  // namespace ortl::kernels::nchwc_detail
