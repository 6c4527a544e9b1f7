// Builders of the quant op family (listed in opset/quant/ops.inc).
#pragma once

#include "opset/op.h"

namespace ortl::opset {

std::unique_ptr<OpKernel> build_quantize_linear(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_dequantize_linear(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_dynamic_quantize_linear(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_matmul_integer(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_qlinear_matmul(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_conv_integer(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_qlinear_conv(const BuildContext& ctx);

}  // namespace ortl::opset
