// Builders of the attention op family (listed in opset/attention/ops.inc).
#pragma once

#include "opset/op.h"

namespace ortl::opset {

std::unique_ptr<OpKernel> build_attention(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_rms_norm(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_rotary_embedding(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_swiglu(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_causal_conv_with_state(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_linear_attention(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_flex_attention(const BuildContext& ctx);

}  // namespace ortl::opset
