// AVX-512 build of the NCHWc depthwise conv (nchwc_depthwise_impl.h: 8-pixel tiles, one zmm per
// block).
#include "kernels/nchwc/nchwc_depthwise_impl.h"

namespace ortl::kernels::nchwc {

void dw_conv2d_avx512(const Conv2dParams& p, const float* x, const float* w, const float* bias, float* y,
                      const ConvEpilogue& ep, Parallel& par) {
  dw_conv2d_impl(p, x, w, bias, y, ep, par);
}

}  // namespace ortl::kernels::nchwc
