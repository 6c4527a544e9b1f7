// Builders of the resize op family (listed in opset/resize/ops.inc).
#pragma once

#include "opset/op.h"

namespace ortl::opset {

std::unique_ptr<OpKernel> build_resize(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_upsample(const BuildContext& ctx);

}  // namespace ortl::opset
