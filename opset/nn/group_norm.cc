// InstanceNormalization and GroupNormalization on X = [N, C, D1, ...]: statistics per
// (sample, group of C/G channels) over the group's channels and spatial positions, then a
// per-channel affine. InstanceNormalization is the G = C case. GroupNormalization-18 gives
// scale and bias per group (G values, repeated over the group's channels), 21 per channel
// (C values); an opset-18 model with per-channel parameters (C != G) is accepted as well.
#include <vector>

#include "kernels/norm/norm.h"
#include "opset/nn/half_detour.h"
#include "opset/nn/nn.h"
#include "opset/nn/nn_util.h"

namespace ortl::opset {
namespace {

class GroupNorm final : public OpKernel {
 public:
  // num_groups <= 0: instance norm (one group per channel).
  GroupNorm(const char* op, int64_t num_groups, float epsilon, bool per_group_params)
      : op_(op), groups_(num_groups), epsilon_(epsilon), per_group_(per_group_params) {}

  void infer(InferContext& ctx) const override {
    nn::infer_same(ctx, op_);
    const int r = ctx.input_rank(0);
    check(r < 0 || r >= 2, ErrorCode::kInvalidArgument, op_, ": input rank ", r, " < 2");
  }

  void run(RunContext& ctx) const override {
    nn::run_half_as_float(ctx, [this](RunContext& c) { run_float(c); });
  }

  void run_float(RunContext& ctx) const {
    const Tensor& x = *ctx.input(0);
    check(x.rank() >= 2, ErrorCode::kInvalidArgument, op_, ": input rank ", x.rank(), " < 2");
    Tensor& y = ctx.output(0, x.shape());
    kernels::GroupNormParams p;
    p.batch = x.dim(0);
    p.channels = x.dim(1);
    p.spatial = nn::prod(x.shape(), 2, x.shape().size());
    p.groups = groups_ > 0 ? groups_ : p.channels;
    p.epsilon = epsilon_;
    check(p.groups > 0 ? p.channels % p.groups == 0 : p.channels == 0, ErrorCode::kInvalidArgument, op_, ": ",
          p.channels, " channels do not split into ", p.groups, " groups");
    if (p.channels == 0) return;
    const Tensor* scale = ctx.input(1);
    const Tensor* bias = ctx.input(2);
    check(scale && bias, ErrorCode::kInvalidArgument, op_, ": scale and bias are required");
    // Per-group parameters are expanded to per-channel ones.
    const bool expand = per_group_ && scale->numel() == p.groups && p.groups != p.channels;
    const int64_t want = expand ? p.groups : p.channels;
    nn::check_param(scale, x.dtype(), want, op_, "scale");
    nn::check_param(bias, x.dtype(), want, op_, "B");
    nn::dispatch_float(x.dtype(), op_, [&](auto t) {
      using T = decltype(t);
      const T* sp = scale->data_as<T>();
      const T* bp = bias->data_as<T>();
      std::vector<T> se, be;
      if (expand) {
        const int64_t cpg = p.channels / p.groups;
        se.resize(static_cast<size_t>(p.channels));
        be.resize(se.size());
        for (int64_t c = 0; c < p.channels; ++c) {
          se[c] = sp[c / cpg];
          be[c] = bp[c / cpg];
        }
        sp = se.data();
        bp = be.data();
      }
      kernels::group_norm<T>(p, x.data_as<T>(), sp, bp, y.data_as<T>(), ctx.par());
    });
  }

  std::vector<std::pair<int, int>> inplace() const override { return {{0, 0}}; }
  std::string kernel_name() const override { return "group_norm"; }

 private:
  const char* op_;
  int64_t groups_;
  float epsilon_;
  bool per_group_;
};

}  // namespace

std::unique_ptr<OpKernel> build_instance_norm(const BuildContext& ctx) {
  return std::make_unique<GroupNorm>("InstanceNormalization", 0, ctx.node.get_float("epsilon", 1e-5f), false);
}

std::unique_ptr<OpKernel> build_group_norm(const BuildContext& ctx) {
  const graph::Node& n = ctx.node;
  check(n.has("num_groups"), ErrorCode::kInvalidModel, "GroupNormalization: attribute 'num_groups' is required");
  const int64_t g = n.get_int("num_groups", 1);
  check(g >= 1, ErrorCode::kInvalidModel, "GroupNormalization: num_groups ", g, " must be >= 1");
  const int64_t stash = n.get_int("stash_type", 1);
  check(stash == 1 || stash == 11, ErrorCode::kNotImplemented, "GroupNormalization: stash_type ", stash,
        " is not supported");
  return std::make_unique<GroupNorm>("GroupNormalization", g, n.get_float("epsilon", 1e-5f), ctx.opset < 21);
}

}  // namespace ortl::opset
