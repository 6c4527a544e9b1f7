// AVX2+FMA NCHWc direct conv: a 16-channel block is two ymm. Tile: 6 pixels x 1 output block
// (12 ymm accumulators, 2 for the weight row, 1 for the broadcast: 15 of 16 registers).
#include <immintrin.h>

#include "kernels/nchwc/nchwc_conv_impl.h"

namespace ortl::kernels::nchwc_detail {
namespace {

struct Avx2 {
  using V = __m256;
  static constexpr int kW = 8;
  static constexpr int kObMax = 1;
  static constexpr int pmax(int) { return 6; }
  static int64_t ob_max(int, const Conv2dParams&) { return 1; }
  static V zero() { return _mm256_setzero_ps(); }
  static V set1(float x) { return _mm256_set1_ps(x); }
  static V load(const float* p) { return _mm256_loadu_ps(p); }
  static void store(float* p, V v) { _mm256_storeu_ps(p, v); }
  static V fmadd(V a, V b, V c) { return _mm256_fmadd_ps(a, b, c); }
  static V add(V a, V b) { return _mm256_add_ps(a, b); }
};

}  // namespace

void conv2d_avx2(const Conv2dParams& p, const float* x, const float* w, const float* bias, float* y,
                 const ConvEpilogue& ep, Parallel& par) {
  Conv<Avx2>::run(p, x, w, bias, y, ep, par);
}

}  // namespace ortl::kernels::nchwc_detail
