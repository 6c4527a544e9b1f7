// AVX2 build of the 2-D float32 pooling body (pool_impl.h): 8 float lanes.
#include "kernels/pool/pool_impl.h"

namespace ortl::kernels {

void pool2d_f32_avx2(const PoolParams& p, const float* src, float* dst, Parallel& par) {
  Pool2dF32<8>::run(p, src, dst, par);
}

void global_pool_f32_avx2(PoolKind kind, int64_t planes, int64_t plane, const float* src, float* dst, Parallel& par) {
  Pool2dF32<8>::global(kind, planes, plane, src, dst, par);
}

}  // namespace ortl::kernels
