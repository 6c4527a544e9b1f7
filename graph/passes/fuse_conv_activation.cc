// Fuses Conv [-> Add(other)] [-> activation] into one ai.ortlite.FusedConv node, whose kernel adds
// the residual and applies the activation to each output tile while it is still in cache
// (kernels/conv/conv.h, ConvEpilogue), instead of two more passes over the tensor and two more
// nodes to run.
//   activation: Relu, LeakyRelu, HardSwish, Clip (constant bounds), and SiLU written as
//   Mul(x, Sigmoid(x)) (how PyTorch exports it).
// Conditions: a 2-D-or-more default-domain Conv; every intermediate value has the next node as
// its only reader and is neither a graph output nor read by a subgraph. The Add may broadcast
// (shapes are not known yet); the kernel then takes its slower path. The FusedConv writes the
// last fused node's output, so names downstream are unchanged.
#include <cfloat>

#include "graph/passes/pass_util.h"

namespace ortl::graph::passes {
namespace {

struct Chain {
  std::vector<int> dead;  // fused nodes to remove
  int sum = -1;           // Add's other input
  std::string act;        // "" when none
  float alpha = 0.f, beta = 0.f;
  int out = -1;  // the value the FusedConv writes
};

// The single reader of value v that may be fused away, or -1.
int sole_reader(const Graph& g, int v, const std::unordered_set<std::string>& pinned) {
  const Value& val = g.values[v];
  if (val.is_output || pinned.count(val.name) || val.consumers.size() != 1) return -1;
  return val.consumers[0];
}

bool scalar_constant(const Graph& g, const Node& n, size_t slot, float& out) {
  if (slot >= n.inputs.size() || n.inputs[slot] < 0) return true;  // omitted: keep the default
  const Tensor* t = constant_of(g, n.inputs[slot]);
  if (!t || t->numel() != 1 || t->dtype() != DType::kFloat) return false;
  out = *t->data_as<float>();
  return true;
}

// Matches an activation reading value v; fills chain.act/alpha/beta/out/dead.
bool match_activation(const Graph& g, int v, const std::unordered_set<std::string>& pinned, Chain& chain) {
  const Value& val = g.values[v];
  if (val.is_output || pinned.count(val.name)) return false;
  if (val.consumers.size() == 2 && val.consumers[0] != val.consumers[1]) {  // SiLU: Mul(v, Sigmoid(v))
    int s = val.consumers[0], m = val.consumers[1];
    if (g.nodes[s].op_type != "Sigmoid") std::swap(s, m);
    const Node& sn = g.nodes[s];
    const Node& mn = g.nodes[m];
    if (sn.op_type != "Sigmoid" || !sn.domain.empty() || mn.op_type != "Mul" || !mn.domain.empty()) return false;
    if (sn.outputs.size() != 1 || mn.inputs.size() != 2 || mn.outputs.size() != 1) return false;
    if (sole_reader(g, sn.outputs[0], pinned) != m) return false;
    const bool order =
        (mn.inputs[0] == v && mn.inputs[1] == sn.outputs[0]) || (mn.inputs[1] == v && mn.inputs[0] == sn.outputs[0]);
    if (!order) return false;
    chain.act = "Silu";
    chain.dead.push_back(s);
    chain.dead.push_back(m);
    chain.out = mn.outputs[0];
    return true;
  }
  const int r = sole_reader(g, v, pinned);
  if (r < 0) return false;
  const Node& n = g.nodes[r];
  if (!n.domain.empty() || n.inputs.empty() || n.inputs[0] != v || n.outputs.size() != 1) return false;
  if (n.op_type == "Relu" || n.op_type == "HardSwish") {
    chain.act = n.op_type;
  } else if (n.op_type == "LeakyRelu") {
    chain.act = n.op_type;
    chain.alpha = n.get_float("alpha", 0.01f);
  } else if (n.op_type == "Clip") {
    float lo = -FLT_MAX, hi = FLT_MAX;
    if (n.opset < 11) {
      lo = n.get_float("min", lo);
      hi = n.get_float("max", hi);
    } else if (!scalar_constant(g, n, 1, lo) || !scalar_constant(g, n, 2, hi)) {
      return false;
    }
    chain.act = "Clip";
    chain.alpha = lo;
    chain.beta = hi;
  } else {
    return false;
  }
  chain.dead.push_back(r);
  chain.out = n.outputs[0];
  return true;
}

}  // namespace

bool fuse_conv_activation(Graph& g, PassStats& stats) {
  const std::unordered_set<std::string> pinned = names_read_by_subgraphs(g);
  std::vector<char> dead(g.nodes.size(), 0);
  bool changed = false;
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    const Node& c = g.nodes[i];
    if (c.op_type != "Conv" || !c.domain.empty() || dead[i] || c.outputs.size() != 1 || c.outputs[0] < 0) continue;
    if (c.inputs.size() < 2 || c.inputs.size() > 3) continue;
    Chain chain;
    int v = c.outputs[0];
    const int r = sole_reader(g, v, pinned);
    if (r >= 0 && !dead[r]) {
      const Node& a = g.nodes[r];
      if (a.op_type == "Add" && a.domain.empty() && a.inputs.size() == 2 && a.outputs.size() == 1 &&
          a.inputs[0] != a.inputs[1]) {
        chain.sum = a.inputs[0] == v ? a.inputs[1] : a.inputs[0];
        chain.dead.push_back(r);
        v = chain.out = a.outputs[0];
      }
    }
    match_activation(g, v, pinned, chain);
    if (chain.dead.empty()) continue;
    bool clash = false;
    for (int d : chain.dead) clash = clash || dead[d];
    if (clash) continue;

    Node& n = g.nodes[i];
    n.domain = "ai.ortlite";
    n.op_type = "FusedConv";
    n.opset = 1;
    if (chain.sum >= 0) {
      n.inputs.resize(4, -1);
      n.inputs[3] = chain.sum;
      ++stats.fused_conv_add;
    }
    if (!chain.act.empty()) {
      n.attrs["activation"] = string_attr(chain.act);
      n.attrs["activation_alpha"] = float_attr(chain.alpha);
      n.attrs["activation_beta"] = float_attr(chain.beta);
      ++stats.fused_conv_act;
    }
    n.outputs[0] = chain.out;
    for (int d : chain.dead) dead[d] = 1;
    changed = true;
  }
  if (changed) {
    g.opsets.emplace("ai.ortlite", 1);
    erase_nodes(g, dead);
  }
  return changed;
}

}  // namespace ortl::graph::passes
