// AVX2+FMA blocked f32 GEMM: 6x16 register tile (12 ymm accumulators, 2 for the B row, 1 for
// the A broadcast: 15 of 16 registers), the BLIS Haswell shape.
#include <immintrin.h>

#include "kernels/gemm/gemm_impl.h"

namespace ortl::kernels {
namespace {

struct Avx2 {
  using V = __m256;
  static constexpr int kW = 8;
  static V zero() { return _mm256_setzero_ps(); }
  static V set1(float x) { return _mm256_set1_ps(x); }
  static V load(const float* p) { return _mm256_loadu_ps(p); }
  static void store(float* p, V v) { _mm256_storeu_ps(p, v); }
  static V fmadd(V a, V b, V c) { return _mm256_fmadd_ps(a, b, c); }
  static V mul(V a, V b) { return _mm256_mul_ps(a, b); }
  static V add(V a, V b) { return _mm256_add_ps(a, b); }
  static float hsum(V v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
  }
};

}  // namespace

void gemm_f32_6x16_avx2(const GemmF32Args& args, Parallel& par) { gemm_detail::Blocked<Avx2, 6, 2>::run(args, par); }

void gemm_f32_6x16_avx2_pack_a(const GemmF32Args& args, float* dst) {
  gemm_detail::Blocked<Avx2, 6, 2>::pack_a_all(args, dst);
}

void gemm_f32_6x16_avx2_pack_b(const GemmF32Args& args, float* dst) {
  gemm_detail::Blocked<Avx2, 6, 2>::pack_b_all(args, dst);
}

}  // namespace ortl::kernels
