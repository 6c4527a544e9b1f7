// CausalConvWithState (opset 27): depthwise causal conv1d over [B, C, L] whose left context is
// past_state ([B, C, k-1], zeros when absent); weight [C, 1, k], optional bias [C], fused
// activation none / silu / swish. present_state gets the last k-1 positions of past ++ input.
#include "kernels/attention/blocks.h"
#include "opset/attention/attention.h"
#include "opset/attention/attention_util.h"
#include "opset/nn/half_detour.h"

namespace ortl::opset {
namespace {

constexpr const char* kOp = "CausalConvWithState";

class CausalConv final : public OpKernel {
 public:
  explicit CausalConv(bool silu) : silu_(silu) {}

  void infer(InferContext& ctx) const override {
    const DType d = ctx.input_dtype(0);
    check(d == DType::kUndefined || d == DType::kFloat || d == DType::kFloat16 || d == DType::kBFloat16,
          ErrorCode::kNotImplemented, kOp, ": dtype ", dtype_name(d), " is not supported (float, float16, bfloat16)");
    const TypeInfo& x = ctx.input_type(0);
    const TypeInfo& w = ctx.input_type(1);
    check(x.rank() == -1 || x.rank() == 3, ErrorCode::kInvalidArgument, kOp, ": input must be 3-D, got rank ",
          x.rank());
    check(w.rank() == -1 || w.rank() == 3, ErrorCode::kInvalidArgument, kOp, ": weight must be 3-D, got rank ",
          w.rank());
    ctx.set_output(0, x);
    if (ctx.num_outputs() > 1) {
      TypeInfo st{d, false, {}};
      if (x.has_shape && w.has_shape) {
        const Dim& k = w.shape[2];
        st = TypeInfo::of(d, {x.shape[0], x.shape[1], k.known() ? Dim(k.value - 1) : ctx.fresh_dim()});
      }
      ctx.set_output(1, st);
    }
  }

  void run(RunContext& ctx) const override {
    attn::require_inputs(ctx, 2, kOp);
    nn::run_half_as_float(ctx, [this](RunContext& c) { run_float(c); });
  }

  std::string kernel_name() const override { return "causal_conv_with_state"; }

 private:
  void run_float(RunContext& ctx) const {
    const Tensor& x = *ctx.input(0);
    const Tensor& w = *ctx.input(1);
    const Tensor* bias = ctx.num_inputs() > 2 ? ctx.input(2) : nullptr;
    const Tensor* past = ctx.num_inputs() > 3 ? ctx.input(3) : nullptr;
    for (const Tensor* t : {&x, &w, bias, past}) {
      if (t && t->dtype() != DType::kFloat)
        fail(ErrorCode::kNotImplemented, kOp, ": dtype ", dtype_name(t->dtype()), " is not supported");
    }
    check(x.rank() == 3 && w.rank() == 3, ErrorCode::kInvalidArgument, kOp, ": input ", shape_str(x.shape()),
          " and weight ", shape_str(w.shape()), " must be 3-D");
    kernels::CausalConvParams p;
    p.batch = x.dim(0), p.channels = x.dim(1), p.len = x.dim(2), p.k = w.dim(2), p.silu = silu_;
    check(w.dim(0) == p.channels && w.dim(1) == 1 && p.k >= 1, ErrorCode::kInvalidArgument, kOp, ": weight ",
          shape_str(w.shape()), " must be [", p.channels, ", 1, k >= 1]");
    check(!bias || bias->shape() == std::vector<int64_t>{p.channels}, ErrorCode::kInvalidArgument, kOp, ": bias ",
          shape_str(bias ? bias->shape() : std::vector<int64_t>{}), " must be [", p.channels, "]");
    const std::vector<int64_t> st{p.batch, p.channels, p.k - 1};
    check(!past || past->shape() == st, ErrorCode::kInvalidArgument, kOp, ": past_state ",
          shape_str(past ? past->shape() : st), " must be ", shape_str(st));
    Tensor& y = ctx.output(0, x.shape());
    Tensor scratch;
    float* present = nullptr;
    if (ctx.num_outputs() > 1 && ctx.has_output(1)) {
      present = ctx.output(1, st).data_as<float>();
    } else {
      scratch = Tensor(DType::kFloat, st);
      present = scratch.data_as<float>();
    }
    kernels::causal_conv_with_state(p, x.data_as<float>(), w.data_as<float>(), bias ? bias->data_as<float>() : nullptr,
                                    past ? past->data_as<float>() : nullptr, y.data_as<float>(), present, ctx.par());
  }

  bool silu_;
};

}  // namespace

std::unique_ptr<OpKernel> build_causal_conv_with_state(const BuildContext& ctx) {
  const std::string act = ctx.node.get_string("activation", "none");
  check(act == "none" || act == "silu" || act == "swish", ErrorCode::kInvalidArgument, kOp, ": activation '", act,
        "' is not one of none, silu, swish");
  return std::make_unique<CausalConv>(act != "none");
}

}  // namespace ortl::opset
