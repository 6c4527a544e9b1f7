// AVX2 + FMA build of the direct depthwise kernel (depthwise_impl.h); conv.cc selects it at run
// time when active_isa() allows.
#include "kernels/conv/depthwise_impl.h"

namespace ortl::kernels {

void depthwise_plane_f32_avx2(const ConvParams& p, const float* x, const float* w, float bias, float* y) {
  depthwise_plane_impl(p, x, w, bias, y);
}

}  // namespace ortl::kernels
