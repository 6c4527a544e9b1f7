// BatchNormalization. Inference: y = (x - mean) / sqrt(var + eps) * scale + bias per channel of
// X = [N, C, D1, ...]. Opsets 1-8 may set spatial = 0: then scale/bias/mean/var hold one value
// per (channel, position), i.e. C * D1 * ... values, handled as C' = C * S channels of size 1.
// Training mode (opset 14+, training_mode = 1) normalizes with the batch statistics (mean and
// population variance over N and the spatial dims) and also returns the running statistics
// mean * momentum + batch_mean * (1 - momentum) (same for var), as the ONNX reference does.
// Opsets < 14 always run inference (is_test is ignored); in inference any optional statistics
// outputs repeat the input mean (outputs 1, 3) and variance (outputs 2, 4): nothing is updated.
#include <algorithm>
#include <vector>

#include "kernels/norm/norm.h"
#include "opset/nn/half_detour.h"
#include "opset/nn/nn.h"
#include "opset/nn/nn_util.h"

namespace ortl::opset {
namespace {

class BatchNorm final : public OpKernel {
 public:
  BatchNorm(float epsilon, float momentum, bool spatial, bool training)
      : epsilon_(epsilon), momentum_(momentum), spatial_(spatial), training_(training) {}

  void infer(InferContext& ctx) const override {
    nn::infer_same(ctx, "BatchNormalization");
    const TypeInfo& x = ctx.input_type(0);
    check(x.rank() < 0 || x.rank() >= 2, ErrorCode::kInvalidArgument, "BatchNormalization: input rank ", x.rank(),
          " < 2");
    for (int i = 1; i < ctx.num_outputs() && i <= 4; ++i) {
      const TypeInfo& stat = ctx.input_type(i % 2 == 1 ? 3 : 4);
      ctx.set_output(i, stat.has_shape ? stat : TypeInfo{x.dtype, false, {}});
    }
  }

  void run(RunContext& ctx) const override {
    nn::run_half_as_float(ctx, [this](RunContext& c) { run_float(c); });
  }

  void run_float(RunContext& ctx) const {
    const Tensor& x = *ctx.input(0);
    check(x.rank() >= 2, ErrorCode::kInvalidArgument, "BatchNormalization: input rank ", x.rank(), " < 2");
    Tensor& y = ctx.output(0, x.shape());
    kernels::BatchNormParams p;
    p.batch = x.dim(0);
    p.channels = x.dim(1);
    p.spatial = nn::prod(x.shape(), 2, x.shape().size());
    p.epsilon = epsilon_;
    if (!spatial_) {  // per-position statistics: C * S channels of one element each
      p.channels *= p.spatial;
      p.spatial = 1;
    }
    const char* names[] = {"X", "scale", "B", "input_mean", "input_var"};
    for (int i = 1; i <= 4; ++i) nn::check_param(ctx.input(i), x.dtype(), p.channels, "BatchNormalization", names[i]);
    nn::dispatch_float(x.dtype(), "BatchNormalization", [&](auto t) {
      using T = decltype(t);
      const T* scale = ctx.input(1)->data_as<T>();
      const T* bias = ctx.input(2)->data_as<T>();
      const T* mean = ctx.input(3)->data_as<T>();
      const T* var = ctx.input(4)->data_as<T>();
      if (!training_) {
        kernels::batch_norm<T>(p, x.data_as<T>(), scale, bias, mean, var, y.data_as<T>(), ctx.par());
        for (int i = 1; i < ctx.num_outputs() && i <= 4; ++i) {
          if (!ctx.has_output(i)) continue;
          const Tensor& stat = *ctx.input(i % 2 == 1 ? 3 : 4);
          Tensor& out = ctx.output(i, stat.shape());
          std::copy(stat.data_as<T>(), stat.data_as<T>() + stat.numel(), out.data_as<T>());
        }
        return;
      }
      std::vector<T> bm(static_cast<size_t>(p.channels)), bv(bm.size());
      kernels::channel_moments<T>(p, x.data_as<T>(), bm.data(), bv.data(), ctx.par());
      kernels::batch_norm<T>(p, x.data_as<T>(), scale, bias, bm.data(), bv.data(), y.data_as<T>(), ctx.par());
      const T mom = static_cast<T>(momentum_);
      const std::vector<int64_t> cshape{p.channels};
      if (ctx.has_output(1)) {
        T* rm = ctx.output(1, cshape).data_as<T>();
        for (int64_t c = 0; c < p.channels; ++c) rm[c] = mean[c] * mom + bm[c] * (T(1) - mom);
      }
      if (ctx.has_output(2)) {
        T* rv = ctx.output(2, cshape).data_as<T>();
        for (int64_t c = 0; c < p.channels; ++c) rv[c] = var[c] * mom + bv[c] * (T(1) - mom);
      }
    });
  }

  std::vector<std::pair<int, int>> inplace() const override { return {{0, 0}}; }
  std::string kernel_name() const override { return training_ ? "batch_norm_train" : "batch_norm"; }

 private:
  float epsilon_, momentum_;
  bool spatial_, training_;
};

}  // namespace

std::unique_ptr<OpKernel> build_batch_norm(const BuildContext& ctx) {
  const graph::Node& n = ctx.node;
  const bool spatial = ctx.opset >= 9 || n.get_int("spatial", 1) != 0;
  const bool training = ctx.opset >= 14 && n.get_int("training_mode", 0) != 0;
  return std::make_unique<BatchNorm>(n.get_float("epsilon", 1e-5f), n.get_float("momentum", 0.9f), spatial, training);
}

}  // namespace ortl::opset
