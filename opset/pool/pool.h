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
// Internal (ai.ortlite): the same pools on NCHWc tensors [N, C/16, H, W, 16] (graph/passes/nchwc.cc).
std::unique_ptr<OpKernel> build_nchwc_max_pool(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_nchwc_average_pool(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_nchwc_global_max_pool(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_nchwc_global_average_pool(const BuildContext& ctx);

}  // namespace ortl::opset
