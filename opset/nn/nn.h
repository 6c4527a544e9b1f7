// Builders of the nn op family (listed in opset/nn/ops.inc).
#pragma once

#include "opset/op.h"

namespace ortl::opset {

std::unique_ptr<OpKernel> build_batch_norm(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_layer_norm(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_instance_norm(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_group_norm(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_lp_norm(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_mvn(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_lrn(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_softmax(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_log_softmax(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_hardmax(const BuildContext& ctx);

}  // namespace ortl::opset
