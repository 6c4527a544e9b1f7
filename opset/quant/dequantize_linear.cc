// DequantizeLinear (10, 13, 19, 21, 23, 24, 25, 28): y = (x - x_zero_point) * x_scale.
// 13 adds `axis` (per-axis scales), 19 float16 / bfloat16 scales, 21 `block_size` (blocked
// scales) and 16-bit inputs, 23 `output_dtype` (else y has x_scale's type); later versions only
// add quantized types (float8 from 19, int4 / uint4 21, float4e2m1 23, int2 / uint2 25; a type
// newer than the model's opset is rejected). int32 inputs have no zero point (or a zero one).
#include "opset/quant/quant.h"
#include "opset/quant/quant_util.h"

namespace ortl::opset {
namespace {

bool is_output_type(DType dt) { return dt == DType::kFloat || dt == DType::kFloat16 || dt == DType::kBFloat16; }

class DequantizeLinearOp final : public OpKernel {
 public:
  DequantizeLinearOp(int opset, int64_t axis, int64_t block_size, DType output_dtype)
      : opset_(opset), axis_(axis), block_size_(block_size), output_dtype_(output_dtype) {}

  void infer(InferContext& ctx) const override {
    check_types(ctx.input_dtype(0), ctx.input_dtype(2));
    const TypeInfo& xt = ctx.input_type(0);
    ctx.set_output(0, TypeInfo{output_type(ctx.input_dtype(1)), xt.has_shape, xt.shape});
  }

  void run(RunContext& ctx) const override {
    const Tensor& x = *ctx.input(0);
    const Tensor& scale = *ctx.input(1);
    const Tensor* zp = ctx.num_inputs() > 2 ? ctx.input(2) : nullptr;
    check_types(x.dtype(), zp ? zp->dtype() : DType::kUndefined);
    const DType yt = output_type(scale.dtype());
    const kernels::QuantLayout l = quant::resolve_layout("DequantizeLinear", x.shape(), scale, zp, axis_, block_size_);
    const std::vector<double> s = quant::read_scales(scale, "DequantizeLinear");
    Tensor& y = ctx.output(0, x.shape());
    const void* z = zp ? zp->data() : nullptr;
    quant::dispatch_codec(x.dtype(), "DequantizeLinear", [&](auto codec) {
      using C = decltype(codec);
      switch (yt) {
        case DType::kFloat: kernels::dequantize_linear<C>(l, x.data(), s.data(), z, y.data_as<float>()); break;
        case DType::kFloat16:
          kernels::dequantize_linear<C>(l, x.data(), s.data(), z, y.data_as<kernels::Half>());
          break;
        default: kernels::dequantize_linear<C>(l, x.data(), s.data(), z, y.data_as<kernels::BFloat16>());
      }
    });
  }

  std::string kernel_name() const override { return "dequantize_linear_ref"; }

 private:
  void check_types(DType x, DType zp) const {
    quant::check_quant_type("DequantizeLinear", x, opset_);
    if (x != DType::kUndefined && zp != DType::kUndefined && zp != x) {
      fail(ErrorCode::kInvalidArgument, "DequantizeLinear: x is ", quant::type_name(x), " but x_zero_point is ",
           quant::type_name(zp));
    }
  }

  // output_dtype, else x_scale's type.
  DType output_type(DType scale) const {
    const DType t = output_dtype_ != DType::kUndefined ? output_dtype_ : scale;
    if (t != DType::kUndefined && !is_output_type(t)) {
      fail(ErrorCode::kNotImplemented, "DequantizeLinear: output type ", quant::type_name(t), " is not supported");
    }
    return t;
  }

  int opset_;
  int64_t axis_, block_size_;
  DType output_dtype_;
};

}  // namespace

std::unique_ptr<OpKernel> build_dequantize_linear(const BuildContext& ctx) {
  const graph::Node& n = ctx.node;
  const int64_t axis = ctx.opset >= 13 ? n.get_int("axis", 1) : 1;
  const int64_t block_size = ctx.opset >= 21 ? n.get_int("block_size", 0) : 0;
  if (block_size < 0) {
    fail(ErrorCode::kInvalidModel, "DequantizeLinear: block_size must not be negative, got ", block_size);
  }
  const auto output_dtype = static_cast<DType>(ctx.opset >= 23 ? n.get_int("output_dtype", 0) : 0);
  if (output_dtype != DType::kUndefined && !is_output_type(output_dtype)) {
    fail(ErrorCode::kInvalidModel, "DequantizeLinear: output_dtype ", quant::type_name(output_dtype),
         " is not float, float16 or bfloat16");
  }
  return std::make_unique<DequantizeLinearOp>(ctx.opset, axis, block_size, output_dtype);
}

}  // namespace ortl::opset
