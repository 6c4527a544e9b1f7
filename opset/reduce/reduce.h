// Builders of the reduce op family (listed in opset/reduce/ops.inc).
#pragma once

#include "opset/op.h"

namespace ortl::opset {

std::unique_ptr<OpKernel> build_reduce_sum(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_reduce_mean(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_reduce_max(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_reduce_min(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_reduce_prod(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_reduce_l1(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_reduce_l2(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_reduce_log_sum(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_reduce_log_sum_exp(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_reduce_sum_square(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_argmax(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_argmin(const BuildContext& ctx);

}  // namespace ortl::opset
