// SwiGLU (opset 28): Y = A * sigmoid(alpha * A) * B for A and B of one shape (no broadcast).
#include "kernels/attention/blocks.h"
#include "opset/attention/attention.h"
#include "opset/attention/attention_util.h"
#include "opset/nn/half_detour.h"

namespace ortl::opset {
namespace {

constexpr const char* kOp = "SwiGLU";

class SwiGlu final : public OpKernel {
 public:
  explicit SwiGlu(float alpha) : alpha_(alpha) {}

  void infer(InferContext& ctx) const override {
    const DType d = ctx.input_dtype(0);
    check(d == DType::kUndefined || attn::is_float_type(d), ErrorCode::kNotImplemented, kOp, ": dtype ", dtype_name(d),
          " is not supported (float, double, float16, bfloat16)");
    check(ctx.input_dtype(1) == DType::kUndefined || d == DType::kUndefined || ctx.input_dtype(1) == d,
          ErrorCode::kInvalidArgument, kOp, ": A and B must have one dtype");
    ctx.set_output(0, ctx.input_type(0));
  }

  void run(RunContext& ctx) const override {
    attn::require_inputs(ctx, 2, kOp);
    nn::run_half_as_float(ctx, [this](RunContext& c) {
      const Tensor& a = *c.input(0);
      const Tensor& b = *c.input(1);
      check(a.shape() == b.shape() && a.dtype() == b.dtype(), ErrorCode::kInvalidArgument, kOp, ": A ",
            shape_str(a.shape()), " and B ", shape_str(b.shape()), " must have one shape and dtype");
      Tensor& y = c.output(0, a.shape());
      if (a.dtype() == DType::kFloat) {
        kernels::swiglu<float>(a.numel(), alpha_, a.data_as<float>(), b.data_as<float>(), y.data_as<float>(), c.par());
      } else if (a.dtype() == DType::kDouble) {
        kernels::swiglu<double>(a.numel(), alpha_, a.data_as<double>(), b.data_as<double>(), y.data_as<double>(),
                                c.par());
      } else {
        fail(ErrorCode::kNotImplemented, kOp, ": dtype ", dtype_name(a.dtype()), " is not supported");
      }
    });
  }

  std::vector<std::pair<int, int>> inplace() const override { return {{0, 0}, {0, 1}}; }
  std::string kernel_name() const override { return "swiglu"; }

 private:
  float alpha_;
};

}  // namespace

std::unique_ptr<OpKernel> build_swiglu(const BuildContext& ctx) {
  return std::make_unique<SwiGlu>(ctx.node.get_float("alpha", 1.0f));
}

}  // namespace ortl::opset
