// Adagrad (ai.onnx.preview.training 1): inputs R, T, X1..Xn, G1..Gn, H1..Hn; outputs
// X1_new..Xn_new, H1_new..Hn_new. The learning rate decays as R / (1 + T * decay_factor).
#include "kernels/loss/loss.h"
#include "opset/loss/loss.h"
#include "opset/loss/optimizer.h"

namespace ortl::opset {
namespace {

class AdagradOp final : public loss::OptimizerOp {
 public:
  AdagradOp(float decay_factor, float epsilon, float norm_coefficient)
      : OptimizerOp("Adagrad", 3, {0, 2}),
        decay_factor_(decay_factor),
        epsilon_(epsilon),
        norm_coefficient_(norm_coefficient) {}

 private:
  void update(double r, int64_t t, const std::vector<const Tensor*>& in,
              const std::vector<Tensor*>& out) const override {
    kernels::AdagradParams p;
    p.lr = r / (1 + static_cast<double>(t) * decay_factor_);
    p.epsilon = epsilon_;
    p.norm_coefficient = norm_coefficient_;
    const int64_t n = in[0]->numel();
    if (in[0]->dtype() == DType::kDouble) {
      kernels::adagrad_update<double>(p, n, in[0]->data_as<double>(), in[1]->data_as<double>(),
                                      in[2]->data_as<double>(), out[0]->data_as<double>(), out[1]->data_as<double>());
    } else {
      kernels::adagrad_update<float>(p, n, in[0]->data_as<float>(), in[1]->data_as<float>(), in[2]->data_as<float>(),
                                     out[0]->data_as<float>(), out[1]->data_as<float>());
    }
  }

  double decay_factor_, epsilon_, norm_coefficient_;
};

}  // namespace

std::unique_ptr<OpKernel> build_adagrad(const BuildContext& ctx) {
  const graph::Node& node = ctx.node;
  return std::make_unique<AdagradOp>(node.get_float("decay_factor", 0.0f), node.get_float("epsilon", 1e-6f),
                                     node.get_float("norm_coefficient", 0.0f));
}

}  // namespace ortl::opset
