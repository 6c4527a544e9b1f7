// Loop: runs `body` while the trip count (optional input M) and the condition (optional input,
// then the body's first output; ignored when the input is omitted) allow. Body inputs: (iteration number, condition, N
// carried values); outputs: (condition, N carried values, K scan outputs). Carried values may change shape between
// iterations and may be sequences or optionals; scan outputs are stacked along a new first axis.
#include <limits>

#include "opset/control/control.h"
#include "opset/control/control_util.h"

namespace ortl::opset {
namespace {

class Loop final : public OpKernel {
 public:
  Loop(control::Body body, int carried, int scans) : body_(std::move(body)), n_(carried), k_(scans) {}

  void infer(InferContext& ctx) const override {
    // Carried values may change shape between iterations: the body sees their types unshaped.
    std::vector<TypeInfo> in{TypeInfo::of(DType::kInt64, {}), TypeInfo::of(DType::kBool, {})};
    for (int i = 0; i < n_; ++i) in.push_back(control::any_shape(ctx.input_type(2 + i)));
    const std::vector<TypeInfo> body_t = body_.infer(std::move(in), ctx);
    for (int i = 0; i < n_; ++i) {
      const TypeInfo& bt = body_t[1 + i];
      const TypeInfo& it = ctx.input_type(2 + i);
      TypeInfo t = bt;
      if (t.dtype == DType::kUndefined) t.dtype = it.dtype;
      if (t.is_tensor() && !it.is_tensor()) t.kind = it.kind;
      ctx.set_output(i, control::loose_type(ctx, t));
    }
    for (int k = 0; k < k_; ++k) ctx.set_output(n_ + k, control::loose_type(ctx, body_t[1 + n_ + k], 1));
  }

  void run(RunContext& ctx) const override {
    int64_t max_trips = std::numeric_limits<int64_t>::max();
    if (const Tensor* m = ctx.input(0)) max_trips = control::scalar_int(*m, "Loop: M");
    // Without a cond input the body's condition output is ignored (the spec's for-loop form).
    bool cond = true;
    const Tensor* cond_in = ctx.input(1);
    if (cond_in) cond = control::scalar_bool(*cond_in, "Loop: cond");
    std::vector<AnyValue> carried(n_);
    for (int i = 0; i < n_; ++i) carried[i] = control::input_value(ctx, 2 + i);
    std::vector<std::vector<Tensor>> scans(k_);
    int64_t it = 0;
    for (; cond && it < max_trips; ++it) {
      std::vector<AnyValue> in;
      in.reserve(2 + n_);
      Tensor iter(DType::kInt64, {});
      *iter.data_as<int64_t>() = it;
      Tensor c(DType::kBool, {});
      *c.data_as<uint8_t>() = 1;
      in.emplace_back(std::move(iter));
      in.emplace_back(std::move(c));
      for (AnyValue& v : carried) in.push_back(std::move(v));
      std::vector<AnyValue> res = body_.run(std::move(in), ctx);
      check(res[0].tensor.defined(), ErrorCode::kInvalidArgument, "Loop: the body's condition output is not a tensor");
      const bool next = control::scalar_bool(res[0].tensor, "Loop: the body's condition output");
      if (cond_in) cond = next;
      for (int i = 0; i < n_; ++i) carried[i] = std::move(res[1 + i]);
      for (int k = 0; k < k_; ++k) {
        check(res[1 + n_ + k].tensor.defined(), ErrorCode::kNotImplemented, "Loop: scan output ", k,
              " is not a tensor");
        scans[k].push_back(std::move(res[1 + n_ + k].tensor));
      }
    }
    // After no iteration the outputs are the initial values: copies, never aliases.
    for (int i = 0; i < n_; ++i) control::set_output_value(ctx, i, carried[i], /*owned=*/it > 0);
    for (int k = 0; k < k_; ++k) {
      if (!ctx.has_output(n_ + k)) continue;
      if (it > 0) {
        Tensor s = control::stack(scans[k], 0, "Loop");
        ctx.alias_output(n_ + k, s, s.shape());
        continue;
      }
      const TypeInfo& t = body_.graph->output_type(1 + n_ + k);
      std::vector<int64_t> shape{0};
      if (t.has_shape && graph::all_known(t.shape))
        for (const Dim& d : t.shape) shape.push_back(d.value);
      check(t.dtype != DType::kUndefined, ErrorCode::kNotImplemented, "Loop: the type of empty scan output ", k,
            " is unknown");
      Tensor s(t.dtype, shape);
      ctx.alias_output(n_ + k, s, shape);
    }
  }

  bool deterministic() const override { return false; }
  std::string kernel_name() const override { return "subgraph"; }

 private:
  control::Body body_;
  int n_;  // loop-carried values
  int k_;  // scan outputs
};

}  // namespace

std::unique_ptr<OpKernel> build_loop(const BuildContext& b) {
  const int formal = control::formal_inputs(b.node);
  check(formal >= 2, ErrorCode::kInvalidModel, "Loop takes (M, cond, values...), got ", formal, " inputs");
  const int n = formal - 2;
  const int outs = static_cast<int>(b.node.outputs.size());
  check(outs >= n, ErrorCode::kInvalidModel, "Loop has ", n, " loop-carried inputs but only ", outs, " outputs");
  control::Body body = control::compile_body(b, "body", n + 2, 1 + outs);
  return std::make_unique<Loop>(std::move(body), n, outs - n);
}

}  // namespace ortl::opset
