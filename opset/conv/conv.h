// Builders of the conv op family (listed in opset/conv/ops.inc).
#pragma once

#include "opset/op.h"

namespace ortl::opset {

std::unique_ptr<OpKernel> build_conv(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_conv_transpose(const BuildContext& ctx);
// Internal (domain ai.ortlite): Conv [+ Add] [+ activation], made by graph/passes.
std::unique_ptr<OpKernel> build_fused_conv(const BuildContext& ctx);
// Internal (ai.ortlite): the blocked channel layout ops made by graph/passes/nchwc.cc (nchwc.cc).
std::unique_ptr<OpKernel> build_nchwc_conv(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_reorder_to_nchwc(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_reorder_from_nchwc(const BuildContext& ctx);

}  // namespace ortl::opset
