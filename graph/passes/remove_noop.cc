// Removes nodes that provably change nothing, judged at load from the declared types (graph inputs,
// initializers, value_info) and constant operands; consumers then read the input directly:
//   Cast to the input's own dtype;  Transpose with perm = [0, 1, ..., r-1];
//   Reshape to a constant shape equal to the input's (0 copies a dim unless allowzero; one -1 when
//     every other input dim is known and non-zero);
//   Expand by a constant shape whose entries are 1 or the matching input dim, no longer than the input;
//   Squeeze without axes of an input whose dims are all known and none is 1;
//   Unsqueeze / Squeeze with an empty axes list.
// Kept: a node whose output is a graph output or read by a subgraph (its name must survive), and
// every case not provable from what the model declares.
#include <unordered_map>

#include "graph/passes/pass_util.h"

namespace ortl::graph::passes {
namespace {

// A constant int64 1-D operand's values, or false.
bool const_ints(const Graph& g, const Node& n, size_t slot, std::vector<int64_t>& out) {
  if (slot >= n.inputs.size()) return false;
  const Tensor* t = constant_of(g, n.inputs[slot]);
  if (!t || t->dtype() != DType::kInt64 || t->rank() != 1) return false;
  out.assign(t->data_as<int64_t>(), t->data_as<int64_t>() + t->numel());
  return true;
}

bool reshape_is_noop(const Graph& g, const Node& n, const TypeInfo& in) {
  std::vector<int64_t> s;
  if (n.inputs.size() != 2 || !const_ints(g, n, 1, s) || !in.has_shape || s.size() != in.shape.size()) return false;
  const bool allowzero = n.get_int("allowzero", 0) != 0;
  int minus = -1;
  for (size_t d = 0; d < s.size(); ++d) {
    if (s[d] == -1) {
      if (minus >= 0) return false;
      minus = static_cast<int>(d);
    } else if (!(s[d] == 0 && !allowzero) && !(in.shape[d].known() && in.shape[d].value == s[d])) {
      return false;
    }
  }
  if (minus >= 0) {
    for (size_t d = 0; d < s.size(); ++d)
      if (static_cast<int>(d) != minus && (!in.shape[d].known() || in.shape[d].value == 0)) return false;
  }
  return true;
}

bool expand_is_noop(const Graph& g, const Node& n, const TypeInfo& in) {
  std::vector<int64_t> s;
  if (n.inputs.size() != 2 || !const_ints(g, n, 1, s) || !in.has_shape || s.size() > in.shape.size()) return false;
  const size_t shift = in.shape.size() - s.size();
  for (size_t d = 0; d < s.size(); ++d) {
    const Dim& id = in.shape[d + shift];
    if (s[d] != 1 && !(id.known() && id.value == s[d])) return false;
  }
  return true;
}

// The axes of a Squeeze / Unsqueeze: from the attribute before opset 13, else the input; false
// when not known at load; `given` is false when omitted.
bool axes_of(const Graph& g, const Node& n, std::vector<int64_t>& axes, bool& given) {
  given = true;
  if (n.opset < 13) {
    given = n.has("axes");
    axes = n.get_ints("axes");
    return true;
  }
  if (n.inputs.size() < 2 || n.inputs[1] < 0) {
    given = false;
    return true;
  }
  return const_ints(g, n, 1, axes);
}

bool is_noop(const Graph& g, const Node& n) {
  const TypeInfo& in = g.values[n.inputs[0]].type;
  if (n.op_type == "Cast") {
    if (!n.has("to") || in.dtype == DType::kUndefined) return false;
    return n.get_int("to", 0) == static_cast<int64_t>(in.dtype);
  }
  if (n.op_type == "Transpose") {
    if (!n.has("perm")) return false;
    const std::vector<int64_t> perm = n.get_ints("perm");
    for (size_t d = 0; d < perm.size(); ++d)
      if (perm[d] != static_cast<int64_t>(d)) return false;
    return in.rank() < 0 || in.rank() == static_cast<int>(perm.size());
  }
  if (n.op_type == "Reshape") return reshape_is_noop(g, n, in);
  if (n.op_type == "Expand") return expand_is_noop(g, n, in);
  if (n.op_type == "Squeeze" || n.op_type == "Unsqueeze") {
    std::vector<int64_t> axes;
    bool given = false;
    if (!axes_of(g, n, axes, given)) return false;
    if (given) return axes.empty() && n.op_type == "Unsqueeze";
    if (n.op_type != "Squeeze" || !in.has_shape) return false;
    for (const Dim& d : in.shape)
      if (!d.known() || d.value == 1) return false;
    return true;
  }
  return false;
}

}  // namespace

bool remove_noops(Graph& g, PassStats& stats) {
  const std::unordered_set<std::string> pinned = names_read_by_subgraphs(g);
  std::unordered_map<int, int> alias;  // removed output -> its input
  std::vector<char> dead(g.nodes.size(), 0);
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    const Node& n = g.nodes[i];
    if (!n.domain.empty() || n.inputs.empty() || n.inputs[0] < 0 || n.outputs.size() != 1 || n.outputs[0] < 0) continue;
    const Value& out = g.values[n.outputs[0]];
    if (out.is_output || pinned.count(out.name) || !is_noop(g, n)) continue;
    alias[n.outputs[0]] = n.inputs[0];
    dead[i] = 1;
    ++stats.removed_noop;
  }
  if (alias.empty()) return false;
  auto resolve = [&](int v) {
    for (auto it = alias.find(v); it != alias.end(); it = alias.find(v)) v = it->second;
    return v;
  };
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    if (dead[i]) continue;
    for (int& in : g.nodes[i].inputs)
      if (in >= 0) in = resolve(in);
  }
  erase_nodes(g, dead);
  return true;
}

}  // namespace ortl::graph::passes
