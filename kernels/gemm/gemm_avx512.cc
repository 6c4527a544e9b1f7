// AVX-512 blocked f32 GEMM: 12x32 register tile (24 zmm accumulators, 2 for the B row, 1 for
// the A broadcast, of 32 registers). 12 rows keep the loads (2 + 12 broadcasts) under the 24
// FMAs per k step, so two FMA ports stay busy.
#include <immintrin.h>

#include "kernels/gemm/gemm_impl.h"

namespace ortl::kernels {
namespace {

struct Avx512 {
  using V = __m512;
  static constexpr int kW = 16;
  static V zero() { return _mm512_setzero_ps(); }
  static V set1(float x) { return _mm512_set1_ps(x); }
  static V load(const float* p) { return _mm512_loadu_ps(p); }
  static void store(float* p, V v) { _mm512_storeu_ps(p, v); }
  static V fmadd(V a, V b, V c) { return _mm512_fmadd_ps(a, b, c); }
  static V mul(V a, V b) { return _mm512_mul_ps(a, b); }
  static V add(V a, V b) { return _mm512_add_ps(a, b); }
  // Through memory, not _mm512_reduce_add_ps or 512->256 casts: GCC 12 warns
  // (-Wmaybe-uninitialized) inside their expansions. Only called once per dot product.
  static float hsum(V v) {
    alignas(64) float t[16];
    _mm512_store_ps(t, v);
    __m256 h = _mm256_add_ps(_mm256_load_ps(t), _mm256_load_ps(t + 8));
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(h), _mm256_extractf128_ps(h, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
  }
};

}  // namespace

void gemm_f32_12x32_avx512(const GemmF32Args& args, Parallel& par) {
  gemm_detail::Blocked<Avx512, 12, 2>::run(args, par);
}

void gemm_f32_12x32_avx512_pack_a(const GemmF32Args& args, float* dst) {
  gemm_detail::Blocked<Avx512, 12, 2>::pack_a_all(args, dst);
}

void gemm_f32_12x32_avx512_pack_b(const GemmF32Args& args, float* dst) {
  gemm_detail::Blocked<Avx512, 12, 2>::pack_b_all(args, dst);
}

}  // namespace ortl::kernels
