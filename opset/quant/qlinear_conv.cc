// QLinearConv (10): Conv on quantized int8 / uint8 x and w into quantized y:
//   acc = conv(x - x_zero_point, w - w_zero_point) + B                 (int32)
//   y   = saturate(round(acc * (x_scale * w_scale / y_scale)) + y_zero_point)
// The convolution stays in integers; only the rescale is float (float32 factor, as the ONNX
// reference computes it). w's scale and zero point are per tensor or per output channel, the
// others per tensor; B (int32, [M]) is quantized with scale x_scale * w_scale and no zero point.
#include "opset/quant/quant.h"
#include "opset/quant/quant_util.h"

namespace ortl::opset {
namespace {

constexpr const char* kOp = "QLinearConv";

void check_int8(DType dt, const char* name) {
  if (dt != DType::kInt8 && dt != DType::kUInt8 && dt != DType::kUndefined) {
    fail(ErrorCode::kNotImplemented, kOp, ": ", name, " type ", quant::type_name(dt),
         " is not supported (int8 / uint8)");
  }
}

// A one-element zero point of `operand`'s type (0 when absent).
int32_t scalar_zero_point(const Tensor* zp, DType operand, const char* name) {
  if (!zp) return 0;
  if (zp->dtype() != operand || zp->numel() != 1) {
    fail(ErrorCode::kInvalidArgument, kOp, ": ", name, " must be one ", quant::type_name(operand), " value, got ",
         quant::type_name(zp->dtype()), " ", shape_str(zp->shape()));
  }
  return quant::read_zero_points(*zp, kOp)[0];
}

double scalar_scale(const Tensor& t, const char* name) {
  if (t.dtype() != DType::kFloat || t.numel() != 1) {
    fail(ErrorCode::kInvalidArgument, kOp, ": ", name, " must be one float value, got ", quant::type_name(t.dtype()),
         " ", shape_str(t.shape()));
  }
  return *t.data_as<float>();
}

class QLinearConvOp final : public OpKernel {
 public:
  explicit QLinearConvOp(conv::ConvAttrs attrs) : attrs_(std::move(attrs)) {}

  void infer(InferContext& ctx) const override {
    const DType y = ctx.input_dtype(7) != DType::kUndefined ? ctx.input_dtype(7) : ctx.input_dtype(0);
    check_int8(y, "y_zero_point");
    quant::infer_conv_integer(attrs_, ctx, kOp, 0, 3, y);
  }

  void run(RunContext& ctx) const override {
    check(ctx.num_inputs() >= 7 && ctx.input(1) && ctx.input(4) && ctx.input(6), ErrorCode::kInvalidArgument, kOp,
          ": x_scale, w_scale and y_scale are required");
    const Tensor& x = *ctx.input(0);
    const Tensor& w = *ctx.input(3);
    const Tensor& w_scale = *ctx.input(4);
    const Tensor* w_zp = ctx.input(5);
    const Tensor* y_zp = ctx.num_inputs() > 7 ? ctx.input(7) : nullptr;
    const Tensor* bias = ctx.num_inputs() > 8 ? ctx.input(8) : nullptr;
    check_int8(x.dtype(), "x");
    check_int8(w.dtype(), "w");
    const DType yt = y_zp ? y_zp->dtype() : x.dtype();
    check_int8(yt, "y_zero_point");

    const conv::Geometry g = quant::resolve_conv(kOp, attrs_, x.shape(), w.shape());
    const kernels::ConvParams& p = g.params;
    const int32_t xz = scalar_zero_point(ctx.input(2), x.dtype(), "x_zero_point");
    const double xs = scalar_scale(*ctx.input(1), "x_scale"), ys = scalar_scale(*ctx.input(6), "y_scale");
    const double yz = scalar_zero_point(y_zp, yt, "y_zero_point");
    if (w_scale.dtype() != DType::kFloat) {
      fail(ErrorCode::kInvalidArgument, kOp, ": w_scale must be float, got ", quant::type_name(w_scale.dtype()));
    }
    const int64_t ws_stride = quant::channel_stride(kOp, "w_scale", w_scale, g.c_out);
    const std::vector<double> ws = quant::read_scales(w_scale, kOp);
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
    if (bias && (bias->dtype() != DType::kInt32 || bias->rank() != 1 || bias->dim(0) != g.c_out)) {
      fail(ErrorCode::kInvalidArgument, kOp, ": B must be int32 of shape [", g.c_out, "], got ",
           quant::type_name(bias->dtype()), " ", shape_str(bias->shape()));
    }

    std::vector<int64_t> shape = {g.batch, g.c_out};
    shape.insert(shape.end(), g.out.begin(), g.out.end());
    Tensor& y = ctx.output(0, shape);
    int64_t out_size = 1;
    for (int64_t o : g.out) out_size *= o;
    const int64_t plane = g.c_out * out_size;
    std::vector<int32_t> acc(static_cast<size_t>(y.numel()));
    quant::conv_s32(p, x, xz, w, wz.empty() ? nullptr : wz.data(), wz_stride, acc.data(), ctx.par());
    if (bias) {
      const int32_t* b = bias->data_as<int32_t>();
      for (int64_t n = 0; n < g.batch; ++n) {
        for (int64_t co = 0; co < g.c_out; ++co) {
          int32_t* a = acc.data() + n * plane + co * out_size;
          // Wrapping int32 add, as the accumulation itself.
          for (int64_t i = 0; i < out_size; ++i) {
            a[i] = static_cast<int32_t>(static_cast<uint32_t>(a[i]) + static_cast<uint32_t>(b[co]));
          }
        }
      }
    }
    quant::dispatch_codec(yt, kOp, [&](auto codec) {
      using C = decltype(codec);
      using S = typename C::Storage;
      for (int64_t n = 0; n < g.batch; ++n) {
        // Rows: output channels (w_scale per channel); columns: positions (x_scale).
        kernels::requantize<C>(g.c_out, out_size, acc.data() + n * plane, ws.data(), ws_stride, &xs, 0, ys, yz,
                               kernels::Precision::kFloat, y.data_as<S>() + n * plane);
      }
    });
  }

  std::string kernel_name() const override { return "conv_integer_s32+requantize"; }

 private:
  conv::ConvAttrs attrs_;
};

}  // namespace

std::unique_ptr<OpKernel> build_qlinear_conv(const BuildContext& ctx) {
  return std::make_unique<QLinearConvOp>(conv::parse_conv_attrs(ctx.node, false));
}

}  // namespace ortl::opset
