// Builders of the pool op family (listed in opset/pool/ops.inc).
#pragma once

#include "opset/op.h"

namespace ortl::opset {

std::unique_ptr<OpKernel> build_max_pool(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_average_pool(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_lp_pool(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_global_max_pool(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_global_average_pool(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_global_lp_pool(const BuildContext& ctx);

}  // namespace ortl::opset
