// Adam (ai.onnx.preview.training 1): inputs R, T, X1..Xn, G1..Gn, V1..Vn, H1..Hn; outputs
// X_new, V_new, H_new per tensor (grouped like the inputs). From the second step on (T > 0) the
// learning rate carries the bias correction sqrt(1 - beta^T) / (1 - alpha^T).
#include <cmath>

#include "kernels/loss/loss.h"
#include "opset/loss/loss.h"
#include "opset/loss/optimizer.h"

namespace ortl::opset {
namespace {

class AdamOp final : public loss::OptimizerOp {
 public:
  explicit AdamOp(const kernels::AdamParams& p) : OptimizerOp("Adam", 4, {0, 2, 3}), p_(p) {}

 private:
  void update(double r, int64_t t, const std::vector<const Tensor*>& in,
              const std::vector<Tensor*>& out) const override {
    kernels::AdamParams p = p_;
    const double td = static_cast<double>(t);
    p.lr = t > 0 ? r * std::sqrt(1 - std::pow(p.beta, td)) / (1 - std::pow(p.alpha, td)) : r;
    const int64_t n = in[0]->numel();
    if (in[0]->dtype() == DType::kDouble) {
      kernels::adam_update<double>(p, n, in[0]->data_as<double>(), in[1]->data_as<double>(), in[2]->data_as<double>(),
                                   in[3]->data_as<double>(), out[0]->data_as<double>(), out[1]->data_as<double>(),
                                   out[2]->data_as<double>());
    } else {
      kernels::adam_update<float>(p, n, in[0]->data_as<float>(), in[1]->data_as<float>(), in[2]->data_as<float>(),
                                  in[3]->data_as<float>(), out[0]->data_as<float>(), out[1]->data_as<float>(),
                                  out[2]->data_as<float>());
    }
  }

  kernels::AdamParams p_;
};

}  // namespace

std::unique_ptr<OpKernel> build_adam(const BuildContext& ctx) {
  const graph::Node& node = ctx.node;
  kernels::AdamParams p;
  p.alpha = node.get_float("alpha", 0.9f);
  p.beta = node.get_float("beta", 0.999f);
  p.epsilon = node.get_float("epsilon", 1e-6f);
  p.norm_coefficient = node.get_float("norm_coefficient", 0.0f);
  p.norm_coefficient_post = node.get_float("norm_coefficient_post", 0.0f);
  return std::make_unique<AdamOp>(p);
}

}  // namespace ortl::opset
