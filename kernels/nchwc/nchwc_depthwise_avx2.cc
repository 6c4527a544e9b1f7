// AVX2 + FMA build of the NCHWc depthwise conv (nchwc_depthwise_impl.h: 4-pixel tiles, each
// 16-lane block two ymm).
#include "kernels/nchwc/nchwc_depthwise_impl.h"

namespace ortl::kernels::nchwc {

void dw_conv2d_avx2(const Conv2dParams& p, const float* x, const float* w, const float* bias, float* y,
                    const ConvEpilogue& ep, Parallel& par) {
  dw_conv2d_impl(p, x, w, bias, y, ep, par);
}

}  // namespace ortl::kernels::nchwc
