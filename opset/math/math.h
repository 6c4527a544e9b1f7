// Builders of the math op family (listed in opset/math/ops.inc): elementwise binary, variadic,
// unary and activation ops, Clip, PRelu, Where, Cast and CastLike.
#pragma once

#include <memory>

#include "opset/op.h"

namespace ortl::opset {

std::unique_ptr<OpKernel> build_add(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_sub(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_mul(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_div(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_pow(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_mod(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_bitshift(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_max(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_min(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_sum(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_mean(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_equal(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_less(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_less_or_equal(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_greater(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_greater_or_equal(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_and(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_or(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_xor(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_not(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_bitwise_and(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_bitwise_or(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_bitwise_xor(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_bitwise_not(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_abs(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_neg(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_sign(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_exp(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_log(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_sqrt(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_reciprocal(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_floor(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_ceil(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_round(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_sin(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_cos(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_tan(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_asin(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_acos(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_atan(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_sinh(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_cosh(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_asinh(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_acosh(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_atanh(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_erf(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_isnan(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_isinf(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_relu(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_sigmoid(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_tanh(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_leaky_relu(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_elu(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_selu(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_celu(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_prelu(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_thresholded_relu(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_hard_sigmoid(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_hard_swish(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_softplus(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_softsign(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_gelu(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_mish(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_swish(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_shrink(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_clip(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_where(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_cast(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_cast_like(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_bitcast(const BuildContext& ctx);

}  // namespace ortl::opset
