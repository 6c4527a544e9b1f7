// Builders of the rnn op family (listed in opset/rnn/ops.inc).
#pragma once

#include "opset/op.h"

namespace ortl::opset {

std::unique_ptr<OpKernel> build_rnn(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_gru(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_lstm(const BuildContext& ctx);

}  // namespace ortl::opset
