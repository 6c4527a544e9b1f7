// Momentum (ai.onnx.preview.training 1): inputs R, T, X1..Xn, G1..Gn, V1..Vn; outputs
// X1_new..Xn_new, V1_new..Vn_new. mode "standard" (heavy ball) or "nesterov"; at the first step
// (T == 0) the gradient's coefficient beta is taken as 1.
#include <string>

#include "kernels/loss/loss.h"
#include "opset/loss/loss.h"
#include "opset/loss/optimizer.h"

namespace ortl::opset {
namespace {

class MomentumOp final : public loss::OptimizerOp {
 public:
  explicit MomentumOp(const kernels::MomentumParams& p) : OptimizerOp("Momentum", 3, {0, 2}), p_(p) {}

 private:
  void update(double r, int64_t t, const std::vector<const Tensor*>& in,
              const std::vector<Tensor*>& out) const override {
    kernels::MomentumParams p = p_;
    p.lr = r;
    if (t <= 0) p.beta = 1;
    const int64_t n = in[0]->numel();
    if (in[0]->dtype() == DType::kDouble) {
      kernels::momentum_update<double>(p, n, in[0]->data_as<double>(), in[1]->data_as<double>(),
                                       in[2]->data_as<double>(), out[0]->data_as<double>(), out[1]->data_as<double>());
    } else {
      kernels::momentum_update<float>(p, n, in[0]->data_as<float>(), in[1]->data_as<float>(), in[2]->data_as<float>(),
                                      out[0]->data_as<float>(), out[1]->data_as<float>());
    }
  }

  kernels::MomentumParams p_;
};

}  // namespace

std::unique_ptr<OpKernel> build_momentum(const BuildContext& ctx) {
  const graph::Node& node = ctx.node;
  constexpr const char* kOp = "Momentum";
  kernels::MomentumParams p;
  p.alpha = loss::required_float(node, "alpha", kOp);
  p.beta = loss::required_float(node, "beta", kOp);
  p.norm_coefficient = loss::required_float(node, "norm_coefficient", kOp);
  check(node.has("mode"), ErrorCode::kInvalidArgument, kOp, ": attribute 'mode' is required");
  const std::string mode = node.get_string("mode", "");
  if (mode != "standard" && mode != "nesterov") {
    fail(ErrorCode::kInvalidArgument, kOp, ": mode '", mode, "' is not standard or nesterov");
  }
  p.nesterov = mode == "nesterov";
  return std::make_unique<MomentumOp>(p);
}

}  // namespace ortl::opset
