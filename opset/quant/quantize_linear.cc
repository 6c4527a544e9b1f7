// QuantizeLinear (10, 13, 19, 21, 23, 24, 25, 28): y = saturate(round(x / y_scale) + y_zero_point).
// 13 adds `axis` (per-axis scales), 19 `saturate` (float8 only) and float16 / bfloat16 inputs,
// 21 `block_size` (blocked scales) and `output_dtype`, 23 `precision` (the type the division
// rounds to; by default y_scale's) and a y_scale type independent of x's; later versions only
// add quantized types (float8 from 19, int4 / uint4 21, float4e2m1 23, int2 / uint2 25; a type
// newer than the model's opset is rejected). The output type is y_zero_point's, else
// output_dtype, else uint8. Integers round half to even then saturate; float8 / float4 round
// once to nearest even, out of range values giving +-max with `saturate` (float4 always), else
// inf (e5m2) or NaN.
#include "opset/quant/quant.h"
#include "opset/quant/quant_util.h"

namespace ortl::opset {
namespace {

class QuantizeLinearOp final : public OpKernel {
 public:
  QuantizeLinearOp(int opset, int64_t axis, int64_t block_size, bool saturate, DType output_dtype, DType precision)
      : opset_(opset),
        axis_(axis),
        block_size_(block_size),
        saturate_(saturate),
        output_dtype_(output_dtype),
        precision_(precision) {}

  void infer(InferContext& ctx) const override {
    const DType x = ctx.input_dtype(0);
    check_input_type(x, "x");
    check_input_type(ctx.input_dtype(1), "y_scale");
    const TypeInfo& xt = ctx.input_type(0);
    ctx.set_output(0, TypeInfo{output_type(ctx.input_dtype(2)), xt.has_shape, xt.shape});
  }

  void run(RunContext& ctx) const override {
    const Tensor& x = *ctx.input(0);
    const Tensor& scale = *ctx.input(1);
    const Tensor* zp = ctx.num_inputs() > 2 ? ctx.input(2) : nullptr;
    check_input_type(x.dtype(), "x");
    const DType qt = output_type(zp ? zp->dtype() : DType::kUndefined);
    const kernels::QuantLayout l = quant::resolve_layout("QuantizeLinear", x.shape(), scale, zp, axis_, block_size_);
    const std::vector<double> s = quant::read_scales(scale, "QuantizeLinear");
    const kernels::Precision prec = quant::precision_of(precision_ != DType::kUndefined ? precision_ : scale.dtype());
    Tensor& y = ctx.output(0, x.shape());
    const void* z = zp ? zp->data() : nullptr;
    quant::dispatch_codec(qt, "QuantizeLinear", [&](auto codec) {
      using C = decltype(codec);
      switch (x.dtype()) {
        case DType::kFloat:
          kernels::quantize_linear<C>(l, x.data_as<float>(), s.data(), z, prec, saturate_, y.data());
          break;
        case DType::kInt32:
          kernels::quantize_linear<C>(l, x.data_as<int32_t>(), s.data(), z, prec, saturate_, y.data());
          break;
        case DType::kFloat16:
          kernels::quantize_linear<C>(l, x.data_as<kernels::Half>(), s.data(), z, prec, saturate_, y.data());
          break;
        default:  // bfloat16 (check_input_type let nothing else through)
          kernels::quantize_linear<C>(l, x.data_as<kernels::BFloat16>(), s.data(), z, prec, saturate_, y.data());
      }
    });
  }

  std::string kernel_name() const override { return "quantize_linear_ref"; }

 private:
  static void check_input_type(DType dt, const char* name) {
    const bool ok = dt == DType::kUndefined || dt == DType::kFloat || dt == DType::kFloat16 || dt == DType::kBFloat16 ||
                    dt == DType::kInt32;
    if (!ok)
      fail(ErrorCode::kNotImplemented, "QuantizeLinear: ", name, " type ", quant::type_name(dt), " is not supported");
  }

  // y_zero_point's type, else output_dtype, else uint8; both given must agree.
  DType output_type(DType zp) const {
    if (zp != DType::kUndefined && output_dtype_ != DType::kUndefined && zp != output_dtype_) {
      fail(ErrorCode::kInvalidArgument, "QuantizeLinear: output_dtype ", quant::type_name(output_dtype_),
           " differs from y_zero_point's type ", quant::type_name(zp));
    }
    const DType t = zp != DType::kUndefined ? zp : output_dtype_ != DType::kUndefined ? output_dtype_ : DType::kUInt8;
    if (!quant::is_quant_type(t) || t == DType::kInt32) {
      fail(ErrorCode::kNotImplemented, "QuantizeLinear: quantized type ", quant::type_name(t), " is not supported");
    }
    quant::check_quant_type("QuantizeLinear", t, opset_);
    return t;
  }

  int opset_;
  int64_t axis_, block_size_;
  bool saturate_;
  DType output_dtype_, precision_;
};

}  // namespace

std::unique_ptr<OpKernel> build_quantize_linear(const BuildContext& ctx) {
  const graph::Node& n = ctx.node;
  const int64_t axis = ctx.opset >= 13 ? n.get_int("axis", 1) : 1;
  const int64_t block_size = ctx.opset >= 21 ? n.get_int("block_size", 0) : 0;
  if (block_size < 0)
    fail(ErrorCode::kInvalidModel, "QuantizeLinear: block_size must not be negative, got ", block_size);
  const bool saturate = ctx.opset >= 19 ? n.get_int("saturate", 1) != 0 : true;
  const auto output_dtype = static_cast<DType>(ctx.opset >= 21 ? n.get_int("output_dtype", 0) : 0);
  const auto precision = static_cast<DType>(ctx.opset >= 23 ? n.get_int("precision", 0) : 0);
  if (precision != DType::kUndefined && !quant::is_scale_type(precision)) {
    fail(ErrorCode::kInvalidModel, "QuantizeLinear: precision ", quant::type_name(precision), " is not a float type");
  }
  return std::make_unique<QuantizeLinearOp>(ctx.opset, axis, block_size, saturate, output_dtype, precision);
}

}  // namespace ortl::opset
