// Builders of the linalg op family (listed in opset/linalg/ops.inc).
#pragma once

#include "opset/op.h"

namespace ortl::opset {

std::unique_ptr<OpKernel> build_gemm(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_matmul(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_matmul_bias(const BuildContext& ctx);

}  // namespace ortl::opset
