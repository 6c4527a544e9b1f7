// AVX2 + FMA build of the direct depthwise kernel (depthwise_impl.h); conv.cc selects it at run
// time when active_isa() allows.
#include "kernels/conv/depthwise_impl.h"

namespace ortl::kernels {

void depthwise_plane_f32_avx2(const ConvParams& p, const float* x, const float* w, float bias, float* y) {
  depthwise_plane_impl(p, x, w, bias, y);
}

void depthwise_narrow8_f32_avx2(const ConvParams& p, const float* const* xs, const float* const* ws, const float* bias,
                                float* const* ys, int count) {
  depthwise_narrow8_impl(p, xs, ws, bias, ys, count);
}

}  // namespace ortl::kernels
