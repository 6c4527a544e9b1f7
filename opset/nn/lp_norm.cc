// LpNormalization: x / ||x||_p along `axis` (default -1), p in {1, 2} (default 2). The spec
// leaves a zero norm open; like the ONNX reference, the all-zero slice stays 0.
#include "kernels/norm/norm.h"
#include "opset/nn/half_detour.h"
#include "opset/nn/nn.h"
#include "opset/nn/nn_util.h"

namespace ortl::opset {
namespace {

class LpNorm final : public OpKernel {
 public:
  LpNorm(int64_t axis, int p) : axis_(axis), p_(p) {}

  void infer(InferContext& ctx) const override {
    nn::infer_same(ctx, "LpNormalization");
    if (ctx.input_rank(0) >= 0) normalize_axis(axis_, ctx.input_rank(0));
  }

  void run(RunContext& ctx) const override {
    nn::run_half_as_float(ctx, [this](RunContext& c) { run_float(c); });
  }

  void run_float(RunContext& ctx) const {
    const Tensor& x = *ctx.input(0);
    Tensor& y = ctx.output(0, x.shape());
    const auto& s = x.shape();
    const auto axis = static_cast<size_t>(normalize_axis(axis_, x.rank()));
    const int64_t outer = nn::prod(s, 0, axis), n = s.empty() ? 1 : s[axis], inner = nn::prod(s, axis + 1, s.size());
    nn::dispatch_float(x.dtype(), "LpNormalization", [&](auto t) {
      using T = decltype(t);
      kernels::lp_norm<T>(outer, n, inner, p_, x.data_as<T>(), y.data_as<T>(), ctx.par());
    });
  }

  std::vector<std::pair<int, int>> inplace() const override { return {{0, 0}}; }
  std::string kernel_name() const override { return "lp_norm"; }

 private:
  int64_t axis_;
  int p_;
};

}  // namespace

std::unique_ptr<OpKernel> build_lp_norm(const BuildContext& ctx) {
  const int64_t p = ctx.node.get_int("p", 2);
  check(p == 1 || p == 2, ErrorCode::kInvalidModel, "LpNormalization: p must be 1 or 2, got ", p);
  return std::make_unique<LpNorm>(ctx.node.get_int("axis", -1), static_cast<int>(p));
}

}  // namespace ortl::opset
