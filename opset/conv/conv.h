// Builders of the conv op family (listed in opset/conv/ops.inc).
#pragma once

#include "opset/op.h"

namespace ortl::opset {

std::unique_ptr<OpKernel> build_conv(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_conv_transpose(const BuildContext& ctx);
// Internal (domain ai.ortlite): Conv [+ Add] [+ activation], made by graph/passes.
std::unique_ptr<OpKernel> build_fused_conv(const BuildContext& ctx);

}  // namespace ortl::opset
