// Internal split of the NCHWc conv: conv2d / conv2d_ref / conv_pack_weights (nchwc_conv.cc)
// hand depthwise params to these (nchwc_depthwise.cc).
#pragma once

#include "kernels/nchwc/nchwc.h"

namespace ortl::kernels::nchwc {

// Depthwise packed weights: [blocks(c), kh, kw, 16], pad lanes zero.
int64_t dw_packed_weights_floats(const Conv2dParams& p);
void dw_pack_weights(const Conv2dParams& p, const float* w, float* dst);
void dw_conv2d(const Conv2dParams& p, const float* x, const float* w_packed, const float* bias, float* y,
               const ConvEpilogue& ep, Parallel& par);
void dw_conv2d_ref(const Conv2dParams& p, const float* x, const float* w_packed, const float* bias, float* y,
                   const ConvEpilogue& ep);
const char* dw_kernel_name();

}  // namespace ortl::kernels::nchwc
