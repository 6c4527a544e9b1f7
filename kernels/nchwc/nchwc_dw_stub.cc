// TEMPORARY stubs of the depthwise entry points so this worktree links before
// nchwc_depthwise.cc lands; the lead deletes this file at merge.
#include "graph/common.h"
#include "kernels/nchwc/nchwc_internal.h"

namespace ortl::kernels::nchwc {

int64_t dw_packed_weights_floats(const Conv2dParams&) { ortl::fail(ErrorCode::kNotImplemented, "nchwc depthwise"); }
void dw_pack_weights(const Conv2dParams&, const float*, float*) {
  ortl::fail(ErrorCode::kNotImplemented, "nchwc depthwise");
}
void dw_conv2d(const Conv2dParams&, const float*, const float*, const float*, float*, const ConvEpilogue&, Parallel&) {
  ortl::fail(ErrorCode::kNotImplemented, "nchwc depthwise");
}
void dw_conv2d_ref(const Conv2dParams&, const float*, const float*, const float*, float*, const ConvEpilogue&) {
  ortl::fail(ErrorCode::kNotImplemented, "nchwc depthwise");
}
const char* dw_kernel_name() { return "nchwc_dw_stub"; }

}  // namespace ortl::kernels::nchwc
