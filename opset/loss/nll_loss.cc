// NegativeLogLikelihoodLoss (12, 13, 22): loss = -input[n, target, d...] * weight[target],
// reduced by none / sum / mean. The versions differ only in the dtypes they list. float16 and
// bfloat16 run in float and round once at the end.
#include "opset/loss/loss.h"
#include "opset/loss/loss_common.h"
#include "opset/nn/half_detour.h"

namespace ortl::opset {
namespace {

constexpr const char* kOp = "NegativeLogLikelihoodLoss";

class NllLossOp final : public OpKernel {
 public:
  explicit NllLossOp(loss::LossAttrs a) : a_(a) {}

  void infer(InferContext& ctx) const override { loss::infer_loss(ctx, a_, kOp); }

  void run(RunContext& ctx) const override {
    nn::run_half_as_float(ctx, [this](RunContext& c) { run_wide(c); });
  }

 private:
  void run_wide(RunContext& ctx) const {
    const Tensor& x = *ctx.input(0);
    const Tensor& labels = *ctx.input(1);
    const Tensor* weight = ctx.num_inputs() > 2 ? ctx.input(2) : nullptr;
    loss::check_loss_inputs(x, labels, weight, kOp);
    const std::vector<int64_t> shape = a_.reduction == loss::Reduction::kNone ? labels.shape() : std::vector<int64_t>{};
    loss::run_nll(a_, x, labels, weight, ctx.output(0, shape), kOp);
  }

  loss::LossAttrs a_;
};

}  // namespace

std::unique_ptr<OpKernel> build_nll_loss(const BuildContext& ctx) {
  return std::make_unique<NllLossOp>(loss::parse_loss_attrs(ctx.node, kOp));
}

}  // namespace ortl::opset
