// AVX512 build of the 2-D float32 pooling body (pool_impl.h): 16 float lanes.
#include "kernels/pool/pool_impl.h"

namespace ortl::kernels {

void pool2d_f32_avx512(const PoolParams& p, const float* src, float* dst, Parallel& par) {
  Pool2dF32<16>::run(p, src, dst, par);
}

void global_pool_f32_avx512(PoolKind kind, int64_t planes, int64_t plane, const float* src, float* dst, Parallel& par) {
  Pool2dF32<16>::global(kind, planes, plane, src, dst, par);
}

}  // namespace ortl::kernels
