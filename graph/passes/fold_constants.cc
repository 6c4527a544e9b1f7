// Constant folding at load: a node whose inputs are all constant initializers (not graph inputs,
// which a caller may override) is run once now with its own kernel (opset::build_kernel, the
// planner's TableInferContext / TableRunContext), and its outputs become initializers, so the
// node no longer runs per inference and later passes see constants (a transposed weight, a
// computed bias). Nodes are visited in topological order, so chains of constant nodes fold in one
// sweep. Skipped: nodes without inputs, with subgraph attributes, non-deterministic kernels
// (OpKernel::deterministic), outputs that are graph outputs or read by subgraphs, outputs above
// kMaxFoldElements in all, and nodes whose kernel cannot be built or fails (left to report at run).
#include "graph/passes/pass_util.h"
#include "kernels/base/parallel.h"
#include "opset/registry.h"
#include "runtime/contexts.h"

namespace ortl::graph::passes {
namespace {

constexpr int64_t kMaxFoldElements = int64_t{1} << 20;

bool foldable(const Graph& g, const Node& n, const std::unordered_set<std::string>& pinned) {
  if (n.inputs.empty() || n.outputs.empty()) return false;
  for (const auto& [name, a] : n.attrs)
    if (a.type == AttrType::kGraph || a.type == AttrType::kGraphs) return false;
  bool any = false;
  for (int in : n.inputs) {
    if (in < 0) continue;
    if (!constant_of(g, in)) return false;
    any = true;
  }
  if (!any) return false;
  for (int o : n.outputs) {
    if (o < 0) continue;
    const Value& v = g.values[o];
    if (v.is_output || pinned.count(v.name)) return false;
  }
  return true;
}

}  // namespace

bool fold_constants(Graph& g, PassStats& stats) {
  const std::unordered_set<std::string> pinned = names_read_by_subgraphs(g);
  std::vector<char> dead(g.nodes.size(), 0);
  std::vector<TypeInfo> types(g.values.size());
  std::vector<std::optional<Tensor>> known(g.values.size());
  std::vector<Tensor> vals(g.values.size());
  int symbols = 0;
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    const Node& n = g.nodes[i];
    if (!foldable(g, n, pinned)) continue;
    std::unique_ptr<opset::OpKernel> k;
    try {
      k = opset::build_kernel(n, g);
      if (!k->deterministic()) continue;
      for (int in : n.inputs) {
        if (in < 0) continue;
        const Tensor& t = *constant_of(g, in);
        types[in] = TypeInfo::of(t.dtype(), from_concrete(t.shape()));
        known[in] = t;
        vals[in] = t;
      }
      runtime::TableInferContext ictx(n, types, known, symbols);
      k->infer(ictx);
      int64_t out_elems = 0;
      bool sized = true;
      for (int o : n.outputs) {
        if (o < 0) continue;
        if (!types[o].has_shape || !all_known(types[o].shape)) {
          sized = false;
          break;
        }
        out_elems += checked_numel(to_concrete(types[o].shape));
      }
      if (!sized || out_elems > kMaxFoldElements) continue;
      runtime::TableRunContext rctx(n, *k, vals, types, kernels::serial());
      k->run(rctx);
    } catch (const Error&) {
      continue;  // not foldable here; the session reports any real problem when it runs
    }
    for (int o : n.outputs) {
      if (o < 0) continue;
      Tensor t = vals[o];
      bool shares = false;  // views share the input's memory; an initializer must own its own
      for (int in : n.inputs)
        if (in >= 0 && vals[in].data() == t.data()) shares = true;
      Value& v = g.values[o];
      v.type = TypeInfo::of(t.dtype(), from_concrete(t.shape()));
      v.initializer = shares ? t.clone() : t;
      vals[o] = Tensor();
    }
    for (int in : n.inputs)
      if (in >= 0) vals[in] = Tensor();
    dead[i] = 1;
    ++stats.folded_constant;
  }
  bool changed = false;
  for (char d : dead) changed = changed || d;
  if (changed) erase_nodes(g, dead);
  return changed;
}

}  // namespace ortl::graph::passes
