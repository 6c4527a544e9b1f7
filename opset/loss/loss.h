// Builders of the loss op family (listed in opset/loss/ops.inc).
#pragma once

#include "opset/op.h"

namespace ortl::opset {

std::unique_ptr<OpKernel> build_nll_loss(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_softmax_cross_entropy_loss(const BuildContext& ctx);
// ai.onnx.preview.training optimizers.
std::unique_ptr<OpKernel> build_adagrad(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_adam(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_momentum(const BuildContext& ctx);

}  // namespace ortl::opset
