// Conv (1, 11, 22) and ConvTranspose (1, 11, 22). The versions differ only in the dtypes they
// admit, so one builder serves all; auto_pad, pads, kernel_shape (inferred from W when absent),
// output_padding and output_shape are resolved in conv_attrs.cc. float runs the fast kernels
// with the GEMM selected when the node is built; float16 / bfloat16 run them on float copies;
// double runs the reference loops.
#include "kernels/conv/conv.h"

#include "opset/conv/conv.h"
#include "opset/conv/conv_attrs.h"
#include "opset/linalg/linalg_util.h"

namespace ortl::opset {
namespace {

class ConvOp final : public OpKernel {
 public:
  explicit ConvOp(conv::ConvAttrs attrs)
      : attrs_(std::move(attrs)), gemm_(&kernels::select_gemm_f32(kernels::active_isa())) {}

  void infer(InferContext& ctx) const override { conv::infer_conv(attrs_, ctx); }

  void run(RunContext& ctx) const override {
    const char* op = attrs_.transpose ? "ConvTranspose" : "Conv";
    const Tensor& x = *ctx.input(0);
    const Tensor& w = *ctx.input(1);
    const Tensor* b = ctx.num_inputs() > 2 ? ctx.input(2) : nullptr;
    check(w.dtype() == x.dtype() && (!b || b->dtype() == x.dtype()), ErrorCode::kInvalidArgument, op,
          ": X, W and B must share one dtype");
    const conv::Geometry g = conv::resolve(attrs_, x.shape(), w.shape());
    if (b) {
      check(b->rank() == 1 && b->dim(0) == g.c_out, ErrorCode::kInvalidArgument, op, ": B must be 1-D with ", g.c_out,
            " entries, got ", shape_str(b->shape()));
    }
    std::vector<int64_t> shape = {g.batch, g.c_out};
    shape.insert(shape.end(), g.out.begin(), g.out.end());
    Tensor& y = ctx.output(0, shape);
    const kernels::ConvParams& p = g.params;
    switch (x.dtype()) {
      case DType::kFloat:
        run_f32(p, x.data_as<float>(), w.data_as<float>(), b ? b->data_as<float>() : nullptr, y.data_as<float>(),
                ctx.par());
        break;
      case DType::kDouble: {
        const double* bias = b ? b->data_as<double>() : nullptr;
        if (attrs_.transpose) {
          kernels::conv_transpose_ref(p, x.data_as<double>(), w.data_as<double>(), bias, y.data_as<double>());
        } else {
          kernels::conv_ref(p, x.data_as<double>(), w.data_as<double>(), bias, y.data_as<double>());
        }
        break;
      }
      case DType::kFloat16:
      case DType::kBFloat16: {
        const std::vector<float> xf = linalg::widen(x), wf = linalg::widen(w);
        const std::vector<float> bf = b ? linalg::widen(*b) : std::vector<float>();
        std::vector<float> yf(static_cast<size_t>(y.numel()));
        run_f32(p, xf.data(), wf.data(), b ? bf.data() : nullptr, yf.data(), ctx.par());
        linalg::narrow(yf, y);
        break;
      }
      default: fail(ErrorCode::kNotImplemented, op, ": dtype ", dtype_name(x.dtype()), " is not supported");
    }
  }

  std::string kernel_name() const override {
    return std::string(attrs_.transpose ? "conv_transpose_f32+" : "conv_f32+") + gemm_->name;
  }

 private:
  void run_f32(const kernels::ConvParams& p, const float* x, const float* w, const float* bias, float* y,
               kernels::Parallel& par) const {
    if (attrs_.transpose) {
      kernels::conv_transpose_f32(p, x, w, bias, y, *gemm_, par);
    } else {
      kernels::conv_f32(p, x, w, bias, y, *gemm_, par);
    }
  }

  conv::ConvAttrs attrs_;
  const kernels::GemmF32Impl* gemm_;
};

}  // namespace

std::unique_ptr<OpKernel> build_conv(const BuildContext& ctx) {
  return std::make_unique<ConvOp>(conv::parse_conv_attrs(ctx.node, false));
}
std::unique_ptr<OpKernel> build_conv_transpose(const BuildContext& ctx) {
  return std::make_unique<ConvOp>(conv::parse_conv_attrs(ctx.node, true));
}

}  // namespace ortl::opset
