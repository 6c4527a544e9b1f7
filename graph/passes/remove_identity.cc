// Removes Identity and inference-mode Dropout: their consumers read the input directly.
// Kept: a node whose output is a graph output or is read by a subgraph (its name must survive),
// a Dropout whose mask output is used, and an opset >= 12 Dropout whose training_mode is not a
// constant false.
#include <unordered_map>

#include "graph/passes/pass_util.h"

namespace ortl::graph::passes {
namespace {

bool is_false_constant(const Graph& g, int value) {
  const Tensor* t = constant_of(g, value);
  if (!t || t->numel() != 1) return false;
  return t->dtype() == DType::kBool && *static_cast<const uint8_t*>(t->data()) == 0;  // T2 is bool
}

// The value a removable node passes through, or -1 when the node must stay.
int passthrough_input(const Graph& g, const Node& n, const std::unordered_set<std::string>& pinned) {
  if (!n.domain.empty() || n.inputs.empty() || n.inputs[0] < 0 || n.outputs.empty() || n.outputs[0] < 0) return -1;
  const Value& out = g.values[n.outputs[0]];
  if (out.is_output || pinned.count(out.name)) return -1;
  if (n.op_type == "Identity") {
    if (n.outputs.size() != 1) return -1;
  } else if (n.op_type == "Dropout") {
    for (size_t k = 1; k < n.outputs.size(); ++k) {  // the mask must be unused
      if (n.outputs[k] < 0) continue;
      const Value& mask = g.values[n.outputs[k]];
      if (mask.is_output || !mask.consumers.empty() || pinned.count(mask.name)) return -1;
    }
    if (n.opset >= 12 && n.inputs.size() >= 3 && n.inputs[2] >= 0 && !is_false_constant(g, n.inputs[2])) return -1;
  } else {
    return -1;
  }
  return n.inputs[0];
}

}  // namespace

bool remove_identity_dropout(Graph& g, PassStats& stats) {
  const std::unordered_set<std::string> pinned = names_read_by_subgraphs(g);
  std::unordered_map<int, int> alias;  // removed output -> the value it passes through
  std::vector<char> dead(g.nodes.size(), 0);
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    const Node& n = g.nodes[i];
    const int in = passthrough_input(g, n, pinned);
    if (in < 0) continue;
    alias[n.outputs[0]] = in;
    dead[i] = 1;
    (n.op_type == "Identity" ? stats.removed_identity : stats.removed_dropout) += 1;
  }
  if (alias.empty()) return false;
  // Resolve chains (Identity -> Dropout -> ...): the nodes are in topological order, but the
  // alias targets are resolved here regardless of order.
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
