// LinearAttention (opset 27): the recurrent linear-attention family (linear, gated, delta,
// gated_delta update rules) over packed [B, T, H*D] query/key/value with GQA, an optional past
// state [B, Hkv, d_k, d_v], decay [B, T, Hkv or Hkv*d_k] (log space) and beta [B, T, Hkv or 1].
// The state is kept in float; present_state takes past_state's dtype (query's without one).
// chunk_size is a tuning hint with no effect on the result.
#include <cmath>

#include "kernels/attention/blocks.h"
#include "opset/attention/attention.h"
#include "opset/attention/attention_util.h"
#include "opset/nn/half_detour.h"

namespace ortl::opset {
namespace {

constexpr const char* kOp = "LinearAttention";

class LinearAttention final : public OpKernel {
 public:
  LinearAttention(int64_t q_heads, int64_t kv_heads, float scale, bool gated, bool delta)
      : q_heads_(q_heads), kv_heads_(kv_heads), scale_(scale), gated_(gated), delta_(delta) {}

  void infer(InferContext& ctx) const override {
    const DType d = ctx.input_dtype(0);
    for (int i = 0; i < 6; ++i) {
      const DType di = ctx.input_dtype(i);
      check(di == DType::kUndefined || di == DType::kFloat || di == DType::kFloat16 || di == DType::kBFloat16,
            ErrorCode::kNotImplemented, kOp, ": dtype ", dtype_name(di),
            " is not supported (float, float16, bfloat16)");
    }
    for (int i : {0, 1, 2}) {
      check(ctx.input_rank(i) == -1 || ctx.input_rank(i) == 3, ErrorCode::kInvalidArgument, kOp,
            ": query, key and value must be 3-D");
    }
    check(ctx.has_input(4) == gated_, ErrorCode::kInvalidArgument, kOp, ": decay is ",
          gated_ ? "required" : "not allowed", " by this update_rule");
    check(ctx.has_input(5) == delta_, ErrorCode::kInvalidArgument, kOp, ": beta is ",
          delta_ ? "required" : "not allowed", " by this update_rule");
    const TypeInfo& q = ctx.input_type(0);
    const TypeInfo& v = ctx.input_type(2);
    TypeInfo out{d, false, {}};
    const DType sd = ctx.has_input(3) ? ctx.input_dtype(3) : d;
    TypeInfo st{sd, false, {}};
    if (q.has_shape && v.has_shape && q.rank() == 3 && v.rank() == 3) {
      const Dim dv = v.shape[2].known() ? Dim(v.shape[2].value / kv_heads_) : ctx.fresh_dim();
      const Dim dk = q.shape[2].known() ? Dim(q.shape[2].value / q_heads_) : ctx.fresh_dim();
      out = TypeInfo::of(d, {q.shape[0], q.shape[1], dv.known() ? Dim(dv.value * q_heads_) : ctx.fresh_dim()});
      st = TypeInfo::of(sd, {q.shape[0], kv_heads_, dk, dv});
    }
    ctx.set_output(0, out);
    if (ctx.num_outputs() > 1) ctx.set_output(1, st);
  }

  void run(RunContext& ctx) const override {
    attn::require_inputs(ctx, 3, kOp);
    nn::run_half_as_float(ctx, [this](RunContext& c) { run_float(c); });
  }

  std::string kernel_name() const override { return "linear_attention"; }

 private:
  void run_float(RunContext& ctx) const {
    const Tensor& q = *ctx.input(0);
    const Tensor& k = *ctx.input(1);
    const Tensor& v = *ctx.input(2);
    const Tensor* past = ctx.num_inputs() > 3 ? ctx.input(3) : nullptr;
    const Tensor* decay = ctx.num_inputs() > 4 ? ctx.input(4) : nullptr;
    const Tensor* beta = ctx.num_inputs() > 5 ? ctx.input(5) : nullptr;
    for (const Tensor* t : {&q, &k, &v, past, decay, beta}) {
      if (t && t->dtype() != DType::kFloat)
        fail(ErrorCode::kNotImplemented, kOp, ": dtype ", dtype_name(t->dtype()), " is not supported");
    }
    check(q.rank() == 3 && k.rank() == 3 && v.rank() == 3, ErrorCode::kInvalidArgument, kOp,
          ": query, key and value must be 3-D");
    check(!decay == !gated_, ErrorCode::kInvalidArgument, kOp, ": decay is ", gated_ ? "required" : "not allowed",
          " by this update_rule");
    check(!beta == !delta_, ErrorCode::kInvalidArgument, kOp, ": beta is ", delta_ ? "required" : "not allowed",
          " by this update_rule");
    kernels::LinearAttentionParams p;
    p.batch = q.dim(0), p.len = q.dim(1), p.q_heads = q_heads_, p.kv_heads = kv_heads_;
    check(q.dim(2) % q_heads_ == 0 && v.dim(2) % kv_heads_ == 0, ErrorCode::kInvalidArgument, kOp, ": query ",
          shape_str(q.shape()), " / value ", shape_str(v.shape()), " do not split into the head counts");
    p.dk = q.dim(2) / q_heads_, p.dv = v.dim(2) / kv_heads_;
    const std::vector<int64_t> bt{p.batch, p.len};
    check(
        k.shape() == std::vector<int64_t>{p.batch, p.len, kv_heads_ * p.dk} && v.dim(0) == p.batch && v.dim(1) == p.len,
        ErrorCode::kInvalidArgument, kOp, ": key ", shape_str(k.shape()), " / value ", shape_str(v.shape()),
        " do not fit query ", shape_str(q.shape()));
    const std::vector<int64_t> st{p.batch, kv_heads_, p.dk, p.dv};
    check(!past || past->shape() == st, ErrorCode::kInvalidArgument, kOp, ": past_state ",
          shape_str(past ? past->shape() : st), " must be ", shape_str(st));
    if (decay) {
      check(decay->rank() == 3 && decay->dim(0) == p.batch && decay->dim(1) == p.len &&
                (decay->dim(2) == kv_heads_ || decay->dim(2) == kv_heads_ * p.dk),
            ErrorCode::kInvalidArgument, kOp, ": decay ", shape_str(decay->shape()), " must be [B, T, ", kv_heads_,
            " or ", kv_heads_ * p.dk, "]");
      p.decay = decay->data_as<float>();
      p.decay_width = decay->dim(2) / kv_heads_;
    }
    if (beta) {
      check(beta->rank() == 3 && beta->dim(0) == p.batch && beta->dim(1) == p.len &&
                (beta->dim(2) == kv_heads_ || beta->dim(2) == 1),
            ErrorCode::kInvalidArgument, kOp, ": beta ", shape_str(beta->shape()), " must be [B, T, ", kv_heads_,
            " or 1]");
      p.beta = beta->data_as<float>();
      p.beta_heads = beta->dim(2);
    }
    p.scale = scale_ != 0.0f ? scale_ : static_cast<float>(1.0 / std::sqrt(static_cast<double>(p.dk)));
    Tensor& out = ctx.output(0, {p.batch, p.len, q_heads_ * p.dv});
    Tensor scratch;
    Tensor* state = &scratch;
    if (ctx.num_outputs() > 1 && ctx.has_output(1)) {
      state = &ctx.output(1, st);
    } else {
      scratch = Tensor(DType::kFloat, st);
    }
    if (past) {
      std::copy_n(past->data_as<float>(), past->numel(), state->data_as<float>());
    } else {
      std::fill_n(state->data_as<float>(), state->numel(), 0.0f);
    }
    kernels::linear_attention(p, q.data_as<float>(), k.data_as<float>(), v.data_as<float>(), out.data_as<float>(),
                              state->data_as<float>(), ctx.par());
  }

  int64_t q_heads_, kv_heads_;
  float scale_;
  bool gated_, delta_;
};

}  // namespace

std::unique_ptr<OpKernel> build_linear_attention(const BuildContext& ctx) {
  const graph::Node& n = ctx.node;
  const std::string rule = n.get_string("update_rule", "gated_delta");
  check(rule == "linear" || rule == "gated" || rule == "delta" || rule == "gated_delta", ErrorCode::kInvalidArgument,
        kOp, ": update_rule '", rule, "' is not one of linear, gated, delta, gated_delta");
  const int64_t qh = n.get_int("q_num_heads", 0), kvh = n.get_int("kv_num_heads", 0);
  check(qh > 0 && kvh > 0 && qh % kvh == 0, ErrorCode::kInvalidArgument, kOp, ": q_num_heads (", qh,
        ") must be a positive multiple of kv_num_heads (", kvh, ")");
  return std::make_unique<LinearAttention>(qh, kvh, n.get_float("scale", 0.0f),
                                           rule == "gated" || rule == "gated_delta",
                                           rule == "delta" || rule == "gated_delta");
}

}  // namespace ortl::opset
