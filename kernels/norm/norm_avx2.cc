// AVX2+FMA build of the float32 LayerNorm, Group/InstanceNorm and BatchNorm bodies (norm_impl.h).
#include "kernels/norm/norm_impl.h"

namespace ortl::kernels {

void layer_norm_f32_avx2(const LayerNormParams& p, const float* src, const float* scale, const float* bias, float* dst,
                         float* mean, float* inv_std, Parallel& par) {
  layer_norm_impl(p, src, scale, bias, dst, mean, inv_std, par);
}

void group_norm_f32_avx2(const GroupNormParams& p, const float* src, const float* scale, const float* bias, float* dst,
                         Parallel& par) {
  group_norm_impl(p, src, scale, bias, dst, par);
}

void batch_norm_f32_avx2(const BatchNormParams& p, const float* src, const float* scale, const float* bias,
                         const float* mean, const float* var, float* dst, Parallel& par) {
  batch_norm_impl(p, src, scale, bias, mean, var, dst, par);
}

}  // namespace ortl::kernels
