// QLinearMatMul (10, 21): numpy matmul of quantized int8 / uint8 a and b into quantized y:
//   acc = (a - a_zero_point) @ (b - b_zero_point)                        (int32)
//   y   = saturate(round(acc * (a_scale * b_scale / y_scale)) + y_zero_point)
// The product stays in integers; only the rescale is float, its factor computed in the scales'
// type (float; 21 adds float16 / bfloat16) as the ONNX reference does. a's parameters are per
// tensor or per row, b's per tensor or per column, y's per tensor. 21 also admits float8
// operands, which are not supported.
#include "opset/quant/quant.h"
#include "opset/quant/quant_util.h"

namespace ortl::opset {
namespace {

constexpr const char* kOp = "QLinearMatMul";

void check_int8(DType dt, const char* name) {
  if (dt != DType::kInt8 && dt != DType::kUInt8 && dt != DType::kUndefined) {
    fail(ErrorCode::kNotImplemented, kOp, ": ", name, " type ", quant::type_name(dt),
         " is not supported (int8 / uint8)");
  }
}

void check_scale(DType dt, DType first, const char* name) {
  if (dt == DType::kUndefined) return;
  if (dt != DType::kFloat && dt != DType::kFloat16 && dt != DType::kBFloat16) {
    fail(ErrorCode::kNotImplemented, kOp, ": ", name, " type ", quant::type_name(dt), " is not supported");
  }
  if (first != DType::kUndefined && dt != first) {
    fail(ErrorCode::kInvalidArgument, kOp, ": ", name, " is ", quant::type_name(dt), " but a_scale is ",
         quant::type_name(first));
  }
}

// Scale and zero point of one operand, one value per output matrix and row (column).
struct OperandParams {
  std::vector<double> scale;
  std::vector<int32_t> zp;  // empty: 0
};

OperandParams operand_params(const Tensor& scale, const Tensor* zp, const Tensor& operand,
                             const quant::MatMulGeometry& g, bool rows) {
  const char* s_name = rows ? "a_scale" : "b_scale";
  const char* z_name = rows ? "a_zero_point" : "b_zero_point";
  OperandParams p;
  p.scale = quant::gather(quant::read_scales(scale, kOp),
                          quant::param_index(kOp, s_name, scale.shape(), g, operand.shape(), rows));
  if (zp) {
    if (zp->dtype() != operand.dtype()) {
      fail(ErrorCode::kInvalidArgument, kOp, ": ", z_name, " is ", quant::type_name(zp->dtype()),
           " but its operand is ", quant::type_name(operand.dtype()));
    }
    p.zp = quant::gather(quant::read_zero_points(*zp, kOp),
                         quant::param_index(kOp, z_name, zp->shape(), g, operand.shape(), rows));
  }
  return p;
}

class QLinearMatMulOp final : public OpKernel {
 public:
  void infer(InferContext& ctx) const override {
    const TypeInfo& a = ctx.input_type(0);
    const TypeInfo& b = ctx.input_type(3);
    check_int8(a.dtype, "a");
    check_int8(b.dtype, "b");
    const DType s = ctx.input_dtype(1);
    check_scale(s, DType::kUndefined, "a_scale");
    check_scale(ctx.input_dtype(4), s, "b_scale");
    check_scale(ctx.input_dtype(6), s, "y_scale");
    const DType y = output_type(ctx.input_dtype(7), a.dtype);
    if (!a.has_shape || !b.has_shape) return ctx.set_output(0, TypeInfo{y, false, {}});
    ctx.set_output(0, TypeInfo::of(y, quant::infer_matmul_shape(kOp, a, b)));
  }

  void run(RunContext& ctx) const override {
    check(ctx.num_inputs() >= 7 && ctx.input(1) && ctx.input(4) && ctx.input(6), ErrorCode::kInvalidArgument, kOp,
          ": a_scale, b_scale and y_scale are required");
    const Tensor& a = *ctx.input(0);
    const Tensor& b = *ctx.input(3);
    check_int8(a.dtype(), "a");
    check_int8(b.dtype(), "b");
    const Tensor& a_scale = *ctx.input(1);
    const Tensor& y_scale = *ctx.input(6);
    const Tensor* y_zp = ctx.num_inputs() > 7 ? ctx.input(7) : nullptr;
    check_scale(a_scale.dtype(), DType::kUndefined, "a_scale");
    check_scale(ctx.input(4)->dtype(), a_scale.dtype(), "b_scale");
    check_scale(y_scale.dtype(), a_scale.dtype(), "y_scale");
    const DType yt = output_type(y_zp ? y_zp->dtype() : DType::kUndefined, a.dtype());
    if (y_scale.numel() != 1 || (y_zp && y_zp->numel() != 1)) {
      fail(ErrorCode::kInvalidArgument, kOp, ": y_scale and y_zero_point must have one element, got ",
           shape_str(y_scale.shape()), y_zp ? " and " + shape_str(y_zp->shape()) : std::string());
    }

    const quant::MatMulGeometry g = quant::resolve_matmul(kOp, a.shape(), b.shape());
    const OperandParams pa = operand_params(a_scale, ctx.input(2), a, g, true);
    const OperandParams pb = operand_params(*ctx.input(4), ctx.input(5), b, g, false);
    const double ys = quant::read_scales(y_scale, kOp)[0];
    const double yz = y_zp ? quant::read_zero_points(*y_zp, kOp)[0] : 0.0;
    const kernels::Precision prec = quant::precision_of(a_scale.dtype());

    std::vector<int32_t> acc(static_cast<size_t>(g.count * g.m * g.n));
    quant::matmul_s32(g, a, b, pa.zp.empty() ? nullptr : pa.zp.data(), pb.zp.empty() ? nullptr : pb.zp.data(),
                      acc.data(), ctx.par());
    Tensor& y = ctx.output(0, g.out);
    quant::dispatch_codec(yt, kOp, [&](auto codec) {
      using C = decltype(codec);
      using S = typename C::Storage;
      for (int64_t i = 0; i < g.count; ++i) {
        kernels::requantize<C>(g.m, g.n, acc.data() + i * g.m * g.n, pa.scale.data() + i * g.m, 1,
                               pb.scale.data() + i * g.n, 1, ys, yz, prec, y.data_as<S>() + i * g.m * g.n);
      }
    });
  }

  std::string kernel_name() const override { return "qgemm_s32+requantize"; }

 private:
  // y_zero_point's type, else a's (as the reference when it is omitted).
  static DType output_type(DType zp, DType a) {
    const DType t = zp != DType::kUndefined ? zp : a;
    check_int8(t, "y_zero_point");
    return t;
  }
};

}  // namespace

std::unique_ptr<OpKernel> build_qlinear_matmul(const BuildContext&) { return std::make_unique<QLinearMatMulOp>(); }

}  // namespace ortl::opset
