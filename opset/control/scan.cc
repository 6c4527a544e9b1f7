// Scan: runs `body` once per slice of the scan inputs, threading N state values through.
// Body inputs: (N states, M scan slices); outputs: (N states, K scan outputs). Opset 9+: each
// scan input is sliced along scan_input_axes[j] (forward or reversed by scan_input_directions),
// scan outputs are stacked along scan_output_axes[k] (reversed by scan_output_directions).
// Opset 8: a leading batch axis on every input and output, scan axis 1, an optional first
// input sequence_lens and one `directions` list for the scan inputs.
#include <algorithm>

#include "opset/control/control.h"
#include "opset/control/control_util.h"
#include "opset/util.h"

namespace ortl::opset {
namespace {

struct ScanParams {
  int n = 0;  // states
  int m = 0;  // scan inputs
  int k = 0;  // scan outputs
  std::vector<int64_t> in_axes, in_dirs, out_axes, out_dirs;
  bool batched = false;  // opset 8
};

class Scan final : public OpKernel {
 public:
  Scan(control::Body body, ScanParams p) : body_(std::move(body)), p_(std::move(p)) {}

  void infer(InferContext& ctx) const override {
    const int extra = p_.batched ? 1 : 0;
    std::vector<TypeInfo> in;
    for (int i = 0; i < p_.n + p_.m; ++i) in.push_back(control::any_shape(ctx.input_type(first_input() + i)));
    const std::vector<TypeInfo> body_t = body_.infer(std::move(in), ctx);
    for (int i = 0; i < p_.n; ++i) {
      TypeInfo t = body_t[i];
      if (t.dtype == DType::kUndefined) t.dtype = ctx.input_dtype(first_input() + i);
      ctx.set_output(i, control::loose_type(ctx, t, extra));
    }
    for (int k = 0; k < p_.k; ++k) ctx.set_output(p_.n + k, control::loose_type(ctx, body_t[p_.n + k], 1 + extra));
  }

  void run(RunContext& ctx) const override {
    const int f = first_input();
    std::vector<Tensor> states(p_.n), xs(p_.m);
    for (int i = 0; i < p_.n; ++i) states[i] = tensor_input(ctx, f + i, "initial state");
    for (int j = 0; j < p_.m; ++j) xs[j] = tensor_input(ctx, f + p_.n + j, "scan input");
    if (!p_.batched) {
      std::vector<std::vector<Tensor>> outs(p_.k);
      scan_one(ctx, states, xs, outs);
      for (int i = 0; i < p_.n; ++i) ctx.alias_output(i, states[i], states[i].shape());
      for (int k = 0; k < p_.k; ++k) emit_scan_output(ctx, k, outs[k], p_.out_axes[k], p_.out_dirs[k], 0);
      return;
    }
    // Opset 8: every batch entry is an independent scan over axis 1.
    const int64_t batch = xs.empty() ? 0 : xs[0].dim(0);
    for (const Tensor& x : xs)
      check(x.rank() >= 2 && x.dim(0) == batch, ErrorCode::kInvalidArgument,
            "Scan: scan inputs must be [batch, sequence, ...] with one batch size");
    for (const Tensor& s : states)
      check(s.rank() >= 1 && s.dim(0) == batch, ErrorCode::kInvalidArgument,
            "Scan: states must have the batch size as first dim");
    if (const Tensor* lens = ctx.input(0)) {
      const std::vector<int64_t> l = read_ints(*lens);
      for (int64_t v : l)
        if (v != xs[0].dim(1))
          fail(ErrorCode::kNotImplemented, "Scan: sequence_lens shorter than the sequence axis is not supported");
    }
    std::vector<std::vector<Tensor>> final_states(p_.n), scan_outs(p_.k);
    for (int64_t b = 0; b < batch; ++b) {
      std::vector<Tensor> st(p_.n), x(p_.m);
      for (int i = 0; i < p_.n; ++i) st[i] = control::take(states[i], 0, b);
      for (int j = 0; j < p_.m; ++j) x[j] = control::take(xs[j], 0, b);
      std::vector<std::vector<Tensor>> outs(p_.k);
      scan_one(ctx, st, x, outs);
      for (int i = 0; i < p_.n; ++i) final_states[i].push_back(std::move(st[i]));
      for (int k = 0; k < p_.k; ++k) {
        if (p_.out_dirs[k]) std::reverse(outs[k].begin(), outs[k].end());
        scan_outs[k].push_back(outs[k].empty() ? Tensor() : control::stack(outs[k], 0, "Scan"));
      }
    }
    for (int i = 0; i < p_.n; ++i) {
      check(batch > 0, ErrorCode::kNotImplemented, "Scan: an empty batch is not supported");
      Tensor t = control::stack(final_states[i], 0, "Scan");
      ctx.alias_output(i, t, t.shape());
    }
    for (int k = 0; k < p_.k; ++k) {
      check(batch > 0 && scan_outs[k][0].defined(), ErrorCode::kNotImplemented,
            "Scan: an empty batch or sequence is not supported");
      Tensor t = control::stack(scan_outs[k], 0, "Scan");
      ctx.alias_output(p_.n + k, t, t.shape());
    }
  }

  bool deterministic() const override { return false; }
  std::string kernel_name() const override { return "subgraph"; }

 private:
  int first_input() const { return p_.batched ? 1 : 0; }

  static Tensor tensor_input(const RunContext& ctx, int i, const char* what) {
    const Tensor* t = ctx.input(i);
    check(t != nullptr, ErrorCode::kInvalidArgument, "Scan: ", what, " ", i, " is missing or not a tensor");
    return *t;
  }

  // One scan: `states` in, final states out; the per-iteration scan outputs in order of
  // iteration. Scan axes are those of the unbatched tensors.
  void scan_one(RunContext& ctx, std::vector<Tensor>& states, const std::vector<Tensor>& xs,
                std::vector<std::vector<Tensor>>& outs) const {
    std::vector<int64_t> axes(p_.m);
    int64_t len = -1;
    for (int j = 0; j < p_.m; ++j) {
      axes[j] = normalize_axis(p_.in_axes[j], xs[j].rank());
      const int64_t l = xs[j].dim(static_cast<int>(axes[j]));
      if (len >= 0 && l != len)
        fail(ErrorCode::kInvalidArgument, "Scan: scan inputs have different lengths (", len, " and ", l, ")");
      len = l;
    }
    for (int64_t t = 0; t < len; ++t) {
      std::vector<AnyValue> in;
      in.reserve(p_.n + p_.m);
      for (const Tensor& s : states) in.emplace_back(s);
      for (int j = 0; j < p_.m; ++j) in.emplace_back(control::take(xs[j], axes[j], p_.in_dirs[j] ? len - 1 - t : t));
      std::vector<AnyValue> res = body_.run(std::move(in), ctx);
      for (int i = 0; i < p_.n + p_.k; ++i)
        check(res[i].tensor.defined(), ErrorCode::kNotImplemented, "Scan: body output ", i, " is not a tensor");
      for (int i = 0; i < p_.n; ++i) states[i] = std::move(res[i].tensor);
      for (int k = 0; k < p_.k; ++k) outs[k].push_back(std::move(res[p_.n + k].tensor));
    }
    // States never iterated are the caller's inputs: copy so outputs do not alias them.
    if (len <= 0)
      for (Tensor& s : states) s = s.clone();
  }

  void emit_scan_output(RunContext& ctx, int k, std::vector<Tensor>& parts, int64_t axis, int64_t dir,
                        int extra) const {
    if (!ctx.has_output(p_.n + k)) return;
    if (parts.empty()) {
      const TypeInfo& t = body_.graph->output_type(p_.n + k);
      check(t.dtype != DType::kUndefined && t.has_shape && graph::all_known(t.shape), ErrorCode::kNotImplemented,
            "Scan: the shape of empty scan output ", k, " is unknown");
      std::vector<int64_t> shape = graph::to_concrete(t.shape);
      const int64_t ax = normalize_axis(axis, static_cast<int64_t>(shape.size()) + 1);
      shape.insert(shape.begin() + ax, 0);
      Tensor s(t.dtype, shape);
      ctx.alias_output(p_.n + k, s, shape);
      return;
    }
    if (dir) std::reverse(parts.begin(), parts.end());
    const int64_t ax = normalize_axis(axis, parts[0].rank() + 1) + extra;
    Tensor s = control::stack(parts, ax, "Scan");
    ctx.alias_output(p_.n + k, s, s.shape());
  }

  control::Body body_;
  ScanParams p_;
};

std::vector<int64_t> per_item(const graph::Node& n, const char* attr, int count) {
  std::vector<int64_t> v = n.get_ints(attr, {});
  if (v.empty()) v.assign(count, 0);
  check(static_cast<int>(v.size()) == count, ErrorCode::kInvalidModel, "Scan: attribute '", attr, "' has ", v.size(),
        " entries, expected ", count);
  return v;
}

}  // namespace

std::unique_ptr<OpKernel> build_scan(const BuildContext& b) {
  ScanParams p;
  p.batched = b.opset < 9;
  p.m = static_cast<int>(b.node.get_int("num_scan_inputs", -1));
  const int formal = control::formal_inputs(b.node) - (p.batched ? 1 : 0);
  check(p.m >= 1 && p.m <= formal, ErrorCode::kInvalidModel, "Scan: num_scan_inputs must be in [1, ", formal, "], got ",
        p.m);
  p.n = formal - p.m;
  const int outs = static_cast<int>(b.node.outputs.size());
  check(outs >= p.n, ErrorCode::kInvalidModel, "Scan has ", p.n, " states but only ", outs, " outputs");
  p.k = outs - p.n;
  if (p.batched) {
    p.in_axes.assign(p.m, 0);
    p.in_dirs = per_item(b.node, "directions", p.m);
    p.out_axes.assign(p.k, 0);
    p.out_dirs.assign(p.k, 0);
  } else {
    p.in_axes = per_item(b.node, "scan_input_axes", p.m);
    p.in_dirs = per_item(b.node, "scan_input_directions", p.m);
    p.out_axes = per_item(b.node, "scan_output_axes", p.k);
    p.out_dirs = per_item(b.node, "scan_output_directions", p.k);
  }
  control::Body body = control::compile_body(b, "body", p.n + p.m, p.n + p.k);
  return std::make_unique<Scan>(std::move(body), std::move(p));
}

}  // namespace ortl::opset
