// Plan building. Memory: every intermediate with a static shape gets a byte range in one arena
// per run; two values share bytes only when their lifetimes (first write .. last read) do not
// overlap. Elementwise ops may write over an input that dies at that node, and Reshape-like ops
// alias their input, so those allocate nothing.
#include "runtime/planner.h"

#include <algorithm>
#include <climits>

#include "runtime/contexts.h"

namespace ortl::runtime {
namespace {

// Plan-time evaluation is for shape arithmetic, not for precomputing large tensors.
constexpr int64_t kMaxFoldElements = 4096;

size_t aligned_bytes(const graph::TypeInfo& t) {
  const int64_t n = checked_numel(graph::to_concrete(t.shape));
  return (static_cast<size_t>(n) * dtype_size(t.dtype) + 63) & ~size_t{63};
}

size_t exact_bytes(const graph::TypeInfo& t) {
  return static_cast<size_t>(checked_numel(graph::to_concrete(t.shape))) * dtype_size(t.dtype);
}

bool static_type(const graph::TypeInfo& t) {
  return t.is_tensor() && t.has_shape && graph::all_known(t.shape) && t.dtype != DType::kUndefined &&
         t.dtype != DType::kString && dtype_size(t.dtype) > 0;
}

// Infers node i; with `fold`, evaluates it now when its inputs are all known and small.
// `vals` is a per-value scratch table, empty on entry and on return.
void infer_node(const graph::Graph& g, size_t i, const opset::OpKernel& k, InferState& st, bool fold,
                kernels::Parallel& par, int& symbols, std::vector<Tensor>& vals) {
  const graph::Node& n = g.nodes[i];
  TableInferContext ictx(n, st.types, st.values, symbols);
  k.infer(ictx);
  if (!fold || !k.deterministic()) return;
  // Sequences and optionals are never plan-time constants.
  for (int o : n.outputs)
    if (o >= 0 && !st.types[o].is_tensor()) return;
  bool all_known = true, any_output_known = false;
  int64_t in_elems = 0;
  for (int in : n.inputs) {
    if (in < 0) continue;
    if (!st.values[in]) {
      all_known = false;
      break;
    }
    in_elems += st.values[in]->numel();
  }
  int64_t out_elems = 0;
  for (int o : n.outputs) {
    if (o < 0) continue;
    any_output_known = any_output_known || st.values[o].has_value();
    const graph::TypeInfo& t = st.types[o];
    if (t.has_shape && graph::all_known(t.shape))
      out_elems += checked_numel(graph::to_concrete(t.shape));
    else
      out_elems += in_elems;  // unknown yet: judge by the inputs
  }
  bool all_outputs_known = true;
  for (int o : n.outputs)
    if (o >= 0 && !st.values[o]) all_outputs_known = false;
  if (all_outputs_known && any_output_known) {  // infer() published every value (Shape, Size)
    st.folded[i] = 1;
    return;
  }
  if (!all_known || out_elems > kMaxFoldElements || n.outputs.empty()) return;
  for (int in : n.inputs)
    if (in >= 0) vals[in] = *st.values[in];
  TableRunContext rctx(n, k, vals, st.types, par);
  k.run(rctx);
  for (int o : n.outputs) {
    if (o < 0) continue;
    // Views share the input's memory; constants must own theirs.
    Tensor t = vals[o];
    bool shares = false;
    for (int in : n.inputs)
      if (in >= 0 && vals[in].data() == t.data()) shares = true;
    st.values[o] = shares ? t.clone() : t;
    st.types[o] = graph::TypeInfo::of(t.dtype(), graph::from_concrete(t.shape()));
  }
  for (int v : n.inputs)
    if (v >= 0) vals[v] = Tensor();
  for (int v : n.outputs)
    if (v >= 0) vals[v] = Tensor();
  st.folded[i] = 1;
}

}  // namespace

void infer_graph(const graph::Graph& g, const std::vector<std::unique_ptr<opset::OpKernel>>& kernels, InferState& st,
                 bool fold, kernels::Parallel& par, bool lenient) {
  st.folded.assign(g.nodes.size(), 0);
  int symbols = 0;
  std::vector<Tensor> scratch(g.values.size());  // one table for every folded node
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    const graph::Node& n = g.nodes[i];
    const opset::OpKernel& k = *kernels[i];
    try {
      infer_node(g, i, k, st, fold, par, symbols, scratch);
    } catch (const Error& e) {
      if (lenient) continue;
      rethrow_with_node(e, g, n);
    }
  }
}

std::shared_ptr<Plan> plan_memory(const graph::Graph& g, const std::vector<std::unique_ptr<opset::OpKernel>>& kernels,
                                  InferState st) {
  auto plan = std::make_shared<Plan>();
  const size_t nv = g.values.size();
  const int nn = static_cast<int>(g.nodes.size());
  plan->folded = std::move(st.folded);
  plan->types = std::move(st.types);
  plan->consts = std::move(st.values);
  plan->offset.assign(nv, -1);
  plan->last_use.assign(nv, -1);
  for (int i = 0; i < nn; ++i) {
    if (plan->folded[i]) continue;
    for (int in : g.nodes[i].inputs)
      if (in >= 0) plan->last_use[in] = std::max(plan->last_use[in], i);
  }
  // Graph inputs and initializers are never in the arena and never dropped.
  for (int v : g.inputs) plan->consts[v].reset();  // inputs are bound per run, not plan constants
  for (size_t v = 0; v < nv; ++v)
    if (g.values[v].initializer && !g.values[v].is_input) plan->consts[v].reset();
  for (int o : g.outputs) plan->last_use[o] = INT_MAX;

  struct Buffer {
    size_t bytes;        // rounded up to 64
    size_t exact_bytes;  // in-place needs the same element bytes, not just the same rounding
    int first;
    int last;
    bool is_output;
    int64_t offset = -1;
  };
  std::vector<Buffer> bufs;
  std::vector<int> buf_of(nv, -1);
  std::vector<char> is_view(nv, 0);
  auto join = [&](int v, int b) {
    buf_of[v] = b;
    bufs[b].last = std::max(bufs[b].last, plan->last_use[v]);
    bufs[b].is_output = bufs[b].is_output || g.values[v].is_output;
  };
  for (int i = 0; i < nn; ++i) {
    if (plan->folded[i]) continue;
    const graph::Node& n = g.nodes[i];
    const opset::OpKernel& k = *kernels[i];
    try {
      const auto inplace = k.inplace();
      std::vector<char> taken(n.inputs.size(), 0);
      for (size_t oi = 0; oi < n.outputs.size(); ++oi) {
        const int o = n.outputs[oi];
        if (o < 0 || plan->consts[o] || !static_type(plan->types[o])) continue;
        const size_t bytes = aligned_bytes(plan->types[o]);
        plan->naive_bytes += bytes;
        if (oi == 0 && k.is_view() && !n.inputs.empty() && n.inputs[0] >= 0) {
          is_view[o] = 1;
          ++plan->view_count;
          plan->naive_bytes -= bytes;  // a naive runtime would not copy for a view either
          if (buf_of[n.inputs[0]] >= 0) join(o, buf_of[n.inputs[0]]);
          continue;
        }
        bool placed = false;
        for (const auto& [po, pi] : inplace) {
          if (po != static_cast<int>(oi) || pi >= static_cast<int>(n.inputs.size()) || taken[pi]) continue;
          const int in = n.inputs[pi];
          if (in < 0 || buf_of[in] < 0) continue;
          Buffer& b = bufs[buf_of[in]];
          if (b.last != i || b.is_output || b.exact_bytes != exact_bytes(plan->types[o])) continue;
          // The same value read through two slots (x + x) is fine; a different live alias is not.
          taken[pi] = 1;
          join(o, buf_of[in]);
          ++plan->inplace_count;
          placed = true;
          break;
        }
        if (placed) continue;
        bufs.push_back(Buffer{bytes, exact_bytes(plan->types[o]), i, i, false});
        join(o, static_cast<int>(bufs.size()) - 1);
      }
    } catch (const Error& e) {
      rethrow_with_node(e, g, n);
    }
  }
  // Greedy by size: biggest first, each at the lowest offset free during its whole lifetime.
  std::vector<int> order(bufs.size());
  for (size_t b = 0; b < bufs.size(); ++b) order[b] = static_cast<int>(b);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return bufs[a].bytes > bufs[b].bytes; });
  std::vector<int> placed;
  for (int b : order) {
    Buffer& cur = bufs[b];
    std::vector<std::pair<int64_t, int64_t>> busy;
    for (int p : placed) {
      const Buffer& o = bufs[p];
      if (o.first <= cur.last && cur.first <= o.last)
        busy.emplace_back(o.offset, o.offset + static_cast<int64_t>(o.bytes));
    }
    std::sort(busy.begin(), busy.end());
    int64_t off = 0;
    for (const auto& [lo, hi] : busy) {
      if (off + static_cast<int64_t>(cur.bytes) <= lo) break;
      off = std::max(off, hi);
    }
    cur.offset = off;
    plan->arena_bytes = std::max(plan->arena_bytes, static_cast<size_t>(off) + cur.bytes);
    placed.push_back(b);
  }
  for (size_t v = 0; v < nv; ++v)
    if (buf_of[v] >= 0 && !is_view[v]) plan->offset[v] = bufs[buf_of[v]].offset;
  return plan;
}

}  // namespace ortl::runtime
