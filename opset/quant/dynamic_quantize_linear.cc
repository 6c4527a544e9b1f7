// DynamicQuantizeLinear (11): x (float) -> y (uint8, x's shape), y_scale (float scalar),
// y_zero_point (uint8 scalar), the scale and zero point chosen from x's range.
#include "kernels/quant/quantize.h"
#include "opset/quant/quant.h"
#include "opset/quant/quant_util.h"

namespace ortl::opset {
namespace {

class DynamicQuantizeLinearOp final : public OpKernel {
 public:
  void infer(InferContext& ctx) const override {
    const DType x = ctx.input_dtype(0);
    if (x != DType::kFloat && x != DType::kUndefined) {
      fail(ErrorCode::kNotImplemented, "DynamicQuantizeLinear: dtype ", quant::type_name(x),
           " is not supported (float)");
    }
    const TypeInfo& xt = ctx.input_type(0);
    ctx.set_output(0, TypeInfo{DType::kUInt8, xt.has_shape, xt.shape});
    if (ctx.num_outputs() > 1) ctx.set_output(1, TypeInfo::of(DType::kFloat, {}));
    if (ctx.num_outputs() > 2) ctx.set_output(2, TypeInfo::of(DType::kUInt8, {}));
  }

  void run(RunContext& ctx) const override {
    const Tensor& x = *ctx.input(0);
    if (x.dtype() != DType::kFloat) {
      fail(ErrorCode::kNotImplemented, "DynamicQuantizeLinear: dtype ", quant::type_name(x.dtype()),
           " is not supported (float)");
    }
    Tensor& y = ctx.output(0, x.shape());
    float scale = 0.f;
    uint8_t zp = 0;
    kernels::dynamic_quantize_u8(x.data_as<float>(), x.numel(), y.data_as<uint8_t>(), &scale, &zp);
    if (ctx.has_output(1)) *ctx.output(1, {}).data_as<float>() = scale;
    if (ctx.has_output(2)) *ctx.output(2, {}).data_as<uint8_t>() = zp;
  }

  std::string kernel_name() const override { return "dynamic_quantize_u8_ref"; }
};

}  // namespace

std::unique_ptr<OpKernel> build_dynamic_quantize_linear(const BuildContext&) {
  return std::make_unique<DynamicQuantizeLinearOp>();
}

}  // namespace ortl::opset
