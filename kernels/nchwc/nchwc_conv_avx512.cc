// AVX-512 NCHWc direct conv: one zmm per 16-channel block. Tiles (pixels x output blocks):
// 16x1 and 12x2 (16 or 24 zmm accumulators). In the 16x1 tile every input scalar is an
// embedded-broadcast FMA operand (vfmadd231ps mem{1to16}); the 12x2 tile broadcasts once into a
// register for its two FMAs. Measured on Zen 4, single thread (us, 1x1 stride 1):
//   16x112x112->96: 6x4 597, 12x2 495, 16x1 388;  32x28x28->192: 112 / 103 / 89;
//   960x7x7->320: 273 / 269 / 283;  2048x7x7->512: 936 / 908 / 961;
//   strided / 3x3 / NCHW-input convs are best with 12x2 (3x224x224 first conv: 239 vs 291).
// So: 16x1 for 1x1 stride-1 convs with C_in <= 192 (short K, many output pixels), else 12x2.
// More pixels (20, 24 in 16x1) spill and run 1.5x slower.
#include <immintrin.h>

#include "kernels/nchwc/nchwc_conv_impl.h"

namespace ortl::kernels::nchwc_detail {
namespace {

struct Avx512 {
  using V = __m512;
  static constexpr int kW = 16;
  static constexpr int kObMax = 2;
  static constexpr int pmax(int ob) { return ob == 2 ? 12 : 16; }
  static int64_t ob_max(bool unit_1x1, int64_t c_in) { return unit_1x1 && c_in <= 192 ? 1 : 2; }
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
