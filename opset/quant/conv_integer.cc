// ConvInteger (10): Conv on int8 / uint8 x and w into int32,
//   y = conv(x - x_zero_point, w - w_zero_point),
// x_zero_point per tensor, w_zero_point per tensor or per output channel, both optional. Conv's
// attributes (auto_pad, pads, strides, dilations, group, kernel_shape) resolve as for Conv.
#include "opset/quant/quant.h"
#include "opset/quant/quant_util.h"

namespace ortl::opset {
namespace {

constexpr const char* kOp = "ConvInteger";

class ConvIntegerOp final : public OpKernel {
 public:
  explicit ConvIntegerOp(conv::ConvAttrs attrs) : attrs_(std::move(attrs)) {}

  void infer(InferContext& ctx) const override { quant::infer_conv_integer(attrs_, ctx, kOp, 0, 1, DType::kInt32); }

  void run(RunContext& ctx) const override {
    const Tensor& x = *ctx.input(0);
    const Tensor& w = *ctx.input(1);
    const Tensor* x_zp = ctx.num_inputs() > 2 ? ctx.input(2) : nullptr;
    const Tensor* w_zp = ctx.num_inputs() > 3 ? ctx.input(3) : nullptr;
    for (const Tensor* t : {&x, &w}) {
      if (t->dtype() != DType::kInt8 && t->dtype() != DType::kUInt8) {
        fail(ErrorCode::kNotImplemented, kOp, ": dtype ", quant::type_name(t->dtype()),
             " is not supported (int8 / uint8)");
      }
    }
    const conv::Geometry g = quant::resolve_conv(kOp, attrs_, x.shape(), w.shape());
    int32_t xz = 0;
    if (x_zp) {
      if (x_zp->dtype() != x.dtype() || x_zp->numel() != 1) {
        fail(ErrorCode::kInvalidArgument, kOp, ": x_zero_point must be one ", quant::type_name(x.dtype()),
             " value, got ", quant::type_name(x_zp->dtype()), " ", shape_str(x_zp->shape()));
      }
      xz = quant::read_zero_points(*x_zp, kOp)[0];
    }
    std::vector<int32_t> wz;
    int64_t wz_stride = 0;
    if (w_zp) {
      if (w_zp->dtype() != w.dtype()) {
        fail(ErrorCode::kInvalidArgument, kOp, ": w_zero_point is ", quant::type_name(w_zp->dtype()), " but w is ",
             quant::type_name(w.dtype()));
      }
      wz_stride = quant::channel_stride(kOp, "w_zero_point", *w_zp, g.c_out);
      wz = quant::read_zero_points(*w_zp, kOp);
    }
    std::vector<int64_t> shape = {g.batch, g.c_out};
    shape.insert(shape.end(), g.out.begin(), g.out.end());
    Tensor& y = ctx.output(0, shape);
    quant::conv_s32(g.params, x, xz, w, wz.empty() ? nullptr : wz.data(), wz_stride, y.data_as<int32_t>(), ctx.par());
  }

  std::string kernel_name() const override { return "conv_integer_s32"; }

 private:
  conv::ConvAttrs attrs_;
};

}  // namespace

std::unique_ptr<OpKernel> build_conv_integer(const BuildContext& ctx) {
  return std::make_unique<ConvIntegerOp>(conv::parse_conv_attrs(ctx.node, false));
}

}  // namespace ortl::opset
