// SoftmaxCrossEntropyLoss (12, 13): log_prob = LogSoftmax(scores) over the class axis 1, then
// the NegativeLogLikelihoodLoss step on log_prob. The optional second output is log_prob itself.
// The log-softmax is the nn family's kernel over [N, C, d1*..*dk] (max-subtracted, so large
// scores do not overflow). float16 and bfloat16 run in float and round once at the end.
#include "kernels/softmax/softmax.h"
#include "opset/loss/loss.h"
#include "opset/loss/loss_common.h"
#include "opset/nn/half_detour.h"

namespace ortl::opset {
namespace {

constexpr const char* kOp = "SoftmaxCrossEntropyLoss";

class SoftmaxCrossEntropyLossOp final : public OpKernel {
 public:
  explicit SoftmaxCrossEntropyLossOp(loss::LossAttrs a) : a_(a) {}

  void infer(InferContext& ctx) const override {
    loss::infer_loss(ctx, a_, kOp);
    if (ctx.num_outputs() > 1) ctx.set_output(1, ctx.input_type(0));
  }

  void run(RunContext& ctx) const override {
    nn::run_half_as_float(ctx, [this](RunContext& c) { run_wide(c); });
  }

  std::string kernel_name() const override { return "log_softmax+nll"; }

 private:
  void run_wide(RunContext& ctx) const {
    const Tensor& x = *ctx.input(0);
    const Tensor& labels = *ctx.input(1);
    const Tensor* weight = ctx.num_inputs() > 2 ? ctx.input(2) : nullptr;
    loss::check_loss_inputs(x, labels, weight, kOp);
    // log_prob goes straight into the second output when the graph wants it.
    Tensor log_prob =
        ctx.num_outputs() > 1 && ctx.has_output(1) ? ctx.output(1, x.shape()) : Tensor(x.dtype(), x.shape());
    kernels::SoftmaxDims d;
    d.outer = x.dim(0);
    d.n = x.dim(1);
    d.inner = d.outer * d.n == 0 ? 0 : x.numel() / (d.outer * d.n);
    if (x.dtype() == DType::kDouble) {
      kernels::softmax<double>(kernels::SoftmaxKind::kLogSoftmax, d, x.data_as<double>(), log_prob.data_as<double>(),
                               ctx.par());
    } else if (x.dtype() == DType::kFloat) {
      kernels::softmax<float>(kernels::SoftmaxKind::kLogSoftmax, d, x.data_as<float>(), log_prob.data_as<float>(),
                              ctx.par());
    } else {
      fail(ErrorCode::kNotImplemented, kOp, ": dtype ", dtype_name(x.dtype()), " is not supported");
    }
    const std::vector<int64_t> shape = a_.reduction == loss::Reduction::kNone ? labels.shape() : std::vector<int64_t>{};
    loss::run_nll(a_, log_prob, labels, weight, ctx.output(0, shape), kOp);
  }

  loss::LossAttrs a_;
};

}  // namespace

std::unique_ptr<OpKernel> build_softmax_cross_entropy_loss(const BuildContext& ctx) {
  return std::make_unique<SoftmaxCrossEntropyLossOp>(loss::parse_loss_attrs(ctx.node, kOp));
}

}  // namespace ortl::opset
