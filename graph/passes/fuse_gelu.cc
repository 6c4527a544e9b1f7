// Fuses the Gelu subgraphs PyTorch exports into one Gelu node (default domain, opset 20 set on the
// node; the model's imported opset is left as it is):
//   y = x * 0.5 * (1 + Erf(x / sqrt(2)))                                  -> Gelu
//   y = x * 0.5 * (1 + Tanh(sqrt(2/pi) * (x + 0.044715 * x^3)))           -> Gelu(approximate="tanh")
// x^3 may be Pow(x, 3) or Mul(Mul(x, x), x).
// x / sqrt(2) may be Div(x, 1.4142...) or Mul(x, 0.7071...); 1 + e in either order; and the three
// products in any of the orderings torch emits:
//   Mul(Mul(x, t), 0.5)    Mul(Mul(x, 0.5), t)    Mul(x, Mul(t, 0.5))    (t = 1 + Erf / Tanh)
// with the operands of each Mul or Add in either order. Conditions: every constant is a float32
// scalar (one element) within 1e-4 (relative) of its value; every intermediate has the next node
// of the pattern as its only reader and is neither a graph output nor read by a subgraph. The
// Gelu (written over the Erf / Tanh node) writes the last Mul's output.
#include <cmath>

#include "graph/passes/pass_util.h"

namespace ortl::graph::passes {
namespace {

struct Ctx {
  const Graph& g;
  const std::unordered_set<std::string>& pinned;
  const std::vector<char>& dead;
};

bool is_const(const Graph& g, int v, double want) {
  const Tensor* t = constant_of(g, v);
  if (!t || t->dtype() != DType::kFloat || t->numel() != 1) return false;
  const double f = *t->data_as<float>();
  return std::fabs(f - want) <= 1e-4 * std::fabs(want);
}

// The node reading v when it is v's only reader, v may be fused away, and it is `op` with
// `arity` inputs (2 unless given); else -1.
int only_reader(const Ctx& c, int v, const char* op, size_t arity = 2) {
  const Value& val = c.g.values[v];
  if (val.is_output || c.pinned.count(val.name) || val.consumers.size() != 1) return -1;
  const int r = val.consumers[0];
  const Node& n = c.g.nodes[r];
  if (c.dead[r] || n.op_type != op || !n.domain.empty() || n.inputs.size() != arity || n.outputs.size() != 1 ||
      n.outputs[0] < 0)
    return -1;
  return r;
}

// The input of binary node n that is not v (-1 when both are v).
int other(const Node& n, int v) {
  if (n.inputs[0] == v) return n.inputs[1] == v ? -1 : n.inputs[1];
  return n.inputs[1] == v ? n.inputs[0] : -1;
}

// The producer of v when it is a live default-domain `op` with two inputs and one output; else -1.
int producer(const Ctx& c, int v, const char* op) {
  const int p = c.g.values[v].producer;
  if (p < 0 || c.dead[p]) return -1;
  const Node& n = c.g.nodes[p];
  return n.op_type == op && n.domain.empty() && n.inputs.size() == 2 && n.outputs.size() == 1 ? p : -1;
}

// Erf head: x / sqrt(2) -> Erf. Returns x (or -1) and appends the head's nodes.
int match_erf_head(const Ctx& c, int core, std::vector<int>& nodes) {
  const Graph& g = c.g;
  const int in = g.nodes[core].inputs[0];
  int x = -1;
  int d = producer(c, in, "Div");
  if (d >= 0) {
    if (is_const(g, g.nodes[d].inputs[1], std::sqrt(2.0))) x = g.nodes[d].inputs[0];
  } else if ((d = producer(c, in, "Mul")) >= 0) {
    const Node& dn = g.nodes[d];
    if (is_const(g, dn.inputs[1], std::sqrt(0.5)))
      x = dn.inputs[0];
    else if (is_const(g, dn.inputs[0], std::sqrt(0.5)))
      x = dn.inputs[1];
  }
  if (x < 0 || only_reader(c, in, "Erf", 1) != core) return -1;
  nodes.push_back(d);
  return x;
}

// Tanh head: sqrt(2/pi) * (x + 0.044715 * x^3) -> Tanh, x^3 as Pow(x, 3) or Mul(Mul(x, x), x),
// operands of each Mul and Add in either order. Returns x (or -1) and appends the head's nodes.
int match_tanh_head(const Ctx& c, int core, std::vector<int>& nodes) {
  const Graph& g = c.g;
  const int in = g.nodes[core].inputs[0];
  const int mu = producer(c, in, "Mul");
  if (mu < 0 || only_reader(c, in, "Tanh", 1) != core) return -1;
  const Node& mun = g.nodes[mu];
  const double k = std::sqrt(2.0 / 3.14159265358979323846);
  const int v = is_const(g, mun.inputs[0], k) ? mun.inputs[1] : is_const(g, mun.inputs[1], k) ? mun.inputs[0] : -1;
  if (v < 0 || mun.inputs[0] == mun.inputs[1]) return -1;
  const int ad = producer(c, v, "Add");
  if (ad < 0 || only_reader(c, v, "Mul") != mu) return -1;
  // One operand of the Add is x, the other 0.044715 * x^3.
  for (int side = 0; side < 2; ++side) {
    const int x = g.nodes[ad].inputs[side], w = g.nodes[ad].inputs[1 - side];
    if (x == w) continue;
    const int mw = producer(c, w, "Mul");
    if (mw < 0 || only_reader(c, w, "Add") != ad) continue;
    const Node& mwn = g.nodes[mw];
    const int p = is_const(g, mwn.inputs[0], 0.044715)   ? mwn.inputs[1]
                  : is_const(g, mwn.inputs[1], 0.044715) ? mwn.inputs[0]
                                                         : -1;
    if (p < 0 || only_reader(c, p, "Mul") != mw) continue;
    std::vector<int> cube;
    if (const int pw = producer(c, p, "Pow"); pw >= 0) {
      if (g.nodes[pw].inputs[0] != x || !is_const(g, g.nodes[pw].inputs[1], 3.0)) continue;
      cube = {pw};
    } else if (const int m3 = producer(c, p, "Mul"); m3 >= 0) {
      const int sq = other(g.nodes[m3], x);  // Mul(x * x, x) in either order
      const int m2 = sq >= 0 ? producer(c, sq, "Mul") : -1;
      if (m2 < 0 || g.nodes[m2].inputs[0] != x || g.nodes[m2].inputs[1] != x || only_reader(c, sq, "Mul") != m3)
        continue;
      cube = {m3, m2};
    } else {
      continue;
    }
    nodes.insert(nodes.end(), {mu, ad, mw});
    nodes.insert(nodes.end(), cube.begin(), cube.end());
    return x;
  }
  return -1;
}

// Tail: t = 1 + core(...), then y = x * 0.5 * t in one of the three orderings. Returns the node
// writing y (or -1) and appends the tail's nodes.
int match_tail(const Ctx& c, int core, int x, std::vector<int>& nodes) {
  const Graph& g = c.g;
  const int core_out = g.nodes[core].outputs[0];
  const int a = only_reader(c, core_out, "Add");
  if (a < 0 || !is_const(g, other(g.nodes[a], core_out), 1.0)) return -1;
  const int t = g.nodes[a].outputs[0];
  const int m1 = only_reader(c, t, "Mul");
  if (m1 < 0) return -1;
  const int o1 = other(g.nodes[m1], t);
  if (o1 < 0) return -1;
  const int p1 = g.nodes[m1].outputs[0];
  if (o1 == x) {  // Mul(Mul(x, t), 0.5)
    const int m2 = only_reader(c, p1, "Mul");
    if (m2 < 0 || !is_const(g, other(g.nodes[m2], p1), 0.5)) return -1;
    nodes.insert(nodes.end(), {a, m1, m2});
    return m2;
  }
  if (is_const(g, o1, 0.5)) {  // Mul(x, Mul(t, 0.5))
    const int m2 = only_reader(c, p1, "Mul");
    if (m2 < 0 || other(g.nodes[m2], p1) != x) return -1;
    nodes.insert(nodes.end(), {a, m1, m2});
    return m2;
  }
  const int h = producer(c, o1, "Mul");  // Mul(Mul(x, 0.5), t)
  if (h < 0 || only_reader(c, o1, "Mul") != m1) return -1;
  const int half = other(g.nodes[h], x);
  if (half < 0 || !is_const(g, half, 0.5)) return -1;
  nodes.insert(nodes.end(), {a, m1, h});
  return m1;
}

}  // namespace

bool fuse_gelu(Graph& g, PassStats& stats) {
  const std::unordered_set<std::string> pinned = names_read_by_subgraphs(g);
  std::vector<char> dead(g.nodes.size(), 0);
  const Ctx c{g, pinned, dead};
  bool changed = false;
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    const Node& core = g.nodes[i];
    const bool is_erf = core.op_type == "Erf";
    if ((!is_erf && core.op_type != "Tanh") || !core.domain.empty() || dead[i] || core.inputs.size() != 1 ||
        core.outputs.size() != 1 || core.inputs[0] < 0 || core.outputs[0] < 0)
      continue;
    std::vector<int> nodes;
    const int ci = static_cast<int>(i);
    const int x = is_erf ? match_erf_head(c, ci, nodes) : match_tanh_head(c, ci, nodes);
    if (x < 0) continue;
    const int last = match_tail(c, ci, x, nodes);
    if (last < 0) continue;
    bool clash = false;
    for (int f : nodes) clash = clash || dead[f];
    if (clash) continue;
    const int out = g.nodes[last].outputs[0];
    Node& n = g.nodes[i];
    n.op_type = "Gelu";
    n.opset = 20;
    n.attrs.clear();
    if (!is_erf) n.attrs["approximate"] = string_attr("tanh");
    n.inputs = {x};
    n.outputs = {out};
    for (int f : nodes) dead[f] = 1;
    ++stats.fused_gelu;
    changed = true;
  }
  if (changed) erase_nodes(g, dead);
  return changed;
}

}  // namespace ortl::graph::passes
