// LRN (local response normalization across channels) on X = [N, C, D1, ...]:
// y = x / (bias + alpha / size * sum of x^2 over channels [c - floor((size-1)/2),
// c + ceil((size-1)/2)]) ^ beta.
#include "kernels/norm/norm.h"
#include "opset/nn/half_detour.h"
#include "opset/nn/nn.h"
#include "opset/nn/nn_util.h"

namespace ortl::opset {
namespace {

class Lrn final : public OpKernel {
 public:
  explicit Lrn(kernels::LrnParams p) : p_(p) {}

  void infer(InferContext& ctx) const override {
    nn::infer_same(ctx, "LRN");
    const int r = ctx.input_rank(0);
    check(r < 0 || r >= 2, ErrorCode::kInvalidArgument, "LRN: input rank ", r, " < 2");
  }

  void run(RunContext& ctx) const override {
    nn::run_half_as_float(ctx, [this](RunContext& c) { run_float(c); });
  }

  void run_float(RunContext& ctx) const {
    const Tensor& x = *ctx.input(0);
    check(x.rank() >= 2, ErrorCode::kInvalidArgument, "LRN: input rank ", x.rank(), " < 2");
    Tensor& y = ctx.output(0, x.shape());
    kernels::LrnParams p = p_;
    p.batch = x.dim(0);
    p.channels = x.dim(1);
    p.spatial = nn::prod(x.shape(), 2, x.shape().size());
    nn::dispatch_float(x.dtype(), "LRN", [&](auto t) {
      using T = decltype(t);
      kernels::lrn<T>(p, x.data_as<T>(), y.data_as<T>(), ctx.par());
    });
  }

  std::string kernel_name() const override { return "lrn"; }

 private:
  kernels::LrnParams p_;
};

}  // namespace

std::unique_ptr<OpKernel> build_lrn(const BuildContext& ctx) {
  const graph::Node& n = ctx.node;
  check(n.has("size"), ErrorCode::kInvalidModel, "LRN: attribute 'size' is required");
  kernels::LrnParams p;
  p.size = n.get_int("size", 1);
  check(p.size >= 1, ErrorCode::kInvalidModel, "LRN: size ", p.size, " must be >= 1");
  p.alpha = n.get_float("alpha", 1e-4f);
  p.beta = n.get_float("beta", 0.75f);
  p.bias = n.get_float("bias", 1.0f);
  return std::make_unique<Lrn>(p);
}

}  // namespace ortl::opset
