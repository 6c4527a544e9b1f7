// Fuses the LayerNormalization subgraph over the last axis into one LayerNormalization node
// (default domain, opset 17 set on the node):
//   mean = ReduceMean(x, [-1]);  d = Sub(x, mean);  v = ReduceMean(Pow(d, 2) | Mul(d, d), [-1])
//   y = Div(d, Sqrt(Add(v, eps))) * gamma [+ beta]        (Mul / Add operands in either order)
// Conditions: both ReduceMeans reduce only the last axis (-1, or r-1 for a known rank r) with
// keepdims = 1 (axes from the attribute before opset 18, a constant input from 18); Pow's exponent,
// eps, gamma and beta are float32 constants, gamma and beta 1-D of the last dim's size (size 1
// only when the last dim is known to be 1); d is read only by the square and the Div, every other
// intermediate only by the next node, and none is a graph output or read by a subgraph.
#include "graph/passes/pass_util.h"

namespace ortl::graph::passes {
namespace {

struct Match {
  const Graph& g;
  const std::unordered_set<std::string>& pinned;
  const std::vector<char>& dead;

  bool free(int v) const {
    const Value& val = g.values[v];
    return !val.is_output && !pinned.count(val.name);
  }
  // v's only reader when it is an `op` with `arity` inputs and one output; else -1.
  int only(int v, const char* op, size_t arity) const {
    if (!free(v) || g.values[v].consumers.size() != 1) return -1;
    const int r = g.values[v].consumers[0];
    const Node& n = g.nodes[r];
    if (dead[r] || n.op_type != op || !n.domain.empty() || n.inputs.size() != arity || n.outputs.size() != 1 ||
        n.outputs[0] < 0)
      return -1;
    return r;
  }
  const Tensor* scalar(int v) const {
    const Tensor* t = constant_of(g, v);
    return t && t->dtype() == DType::kFloat && t->numel() == 1 ? t : nullptr;
  }
  // ReduceMean over the last axis of a rank-`rank` input (-1: unknown), keepdims = 1.
  bool last_axis_mean(const Node& n, int rank) const {
    if (n.get_int("keepdims", 1) != 1) return false;
    std::vector<int64_t> axes;
    if (n.opset < 18) {
      if (n.inputs.size() != 1) return false;
      axes = n.get_ints("axes");
    } else {
      if (n.inputs.size() != 2) return false;
      const Tensor* t = constant_of(g, n.inputs[1]);
      if (!t || t->dtype() != DType::kInt64 || t->numel() != 1) return false;
      axes = {*t->data_as<int64_t>()};
    }
    return axes.size() == 1 && (axes[0] == -1 || (rank > 0 && axes[0] == rank - 1));
  }
  // A 1-D float constant that the last dim of x (`last`, -1 unknown) matches.
  bool param(int v, int64_t last) const {
    const Tensor* t = constant_of(g, v);
    if (!t || t->dtype() != DType::kFloat || t->rank() != 1) return false;
    return last >= 0 ? t->numel() == last : t->numel() > 1;
  }
};

int other(const Node& n, int v) {
  if (n.inputs[0] == v) return n.inputs[1] == v ? -1 : n.inputs[1];
  return n.inputs[1] == v ? n.inputs[0] : -1;
}

}  // namespace

bool fuse_layer_norm(Graph& g, PassStats& stats) {
  const std::unordered_set<std::string> pinned = names_read_by_subgraphs(g);
  std::vector<char> dead(g.nodes.size(), 0);
  const Match m{g, pinned, dead};
  bool changed = false;
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    const Node& rm = g.nodes[i];
    if (rm.op_type != "ReduceMean" || !rm.domain.empty() || dead[i] || rm.inputs.empty() || rm.inputs[0] < 0 ||
        rm.outputs.size() != 1 || rm.outputs[0] < 0)
      continue;
    const int x = rm.inputs[0];
    const TypeInfo& xt = g.values[x].type;
    const int rank = xt.rank();
    const int64_t last = rank > 0 && xt.shape.back().known() ? xt.shape.back().value : -1;
    if (!m.last_axis_mean(rm, rank)) continue;
    const int sub = m.only(rm.outputs[0], "Sub", 2);
    if (sub < 0 || g.nodes[sub].inputs[0] != x || g.nodes[sub].inputs[1] != rm.outputs[0]) continue;
    const int d = g.nodes[sub].outputs[0];
    if (!m.free(d)) continue;
    // d's readers: the square and the Div.
    int sq = -1, div = -1;
    bool third = false;
    for (int c : g.values[d].consumers) {
      const Node& cn = g.nodes[c];
      if (cn.op_type == "Div" && div < 0 && cn.inputs.size() == 2 && cn.inputs[0] == d && cn.inputs[1] != d) {
        div = c;
      } else if (sq < 0 || sq == c) {
        sq = c;
      } else {
        third = true;
      }
    }
    if (third || sq < 0 || div < 0 || dead[sq] || dead[div]) continue;
    const Node& sn = g.nodes[sq];
    if (!sn.domain.empty() || sn.inputs.size() != 2 || sn.outputs.size() != 1 || sn.outputs[0] < 0) continue;
    bool square = false;
    if (sn.op_type == "Mul") {
      square = sn.inputs[0] == d && sn.inputs[1] == d;
    } else if (sn.op_type == "Pow" && sn.inputs[0] == d) {
      const Tensor* e = m.scalar(sn.inputs[1]);
      square = e && *e->data_as<float>() == 2.f;
    }
    if (!square) continue;
    const int rv = m.only(sn.outputs[0], "ReduceMean", g.nodes[i].inputs.size());
    if (rv < 0 || !m.last_axis_mean(g.nodes[rv], rank)) continue;
    const int ae = m.only(g.nodes[rv].outputs[0], "Add", 2);
    if (ae < 0) continue;
    const Tensor* eps = m.scalar(other(g.nodes[ae], g.nodes[rv].outputs[0]));
    if (!eps) continue;
    const int sqrt = m.only(g.nodes[ae].outputs[0], "Sqrt", 1);
    if (sqrt < 0 || m.only(g.nodes[sqrt].outputs[0], "Div", 2) != div ||
        g.nodes[div].inputs[1] != g.nodes[sqrt].outputs[0])
      continue;
    if (g.nodes[div].outputs.size() != 1 || g.nodes[div].outputs[0] < 0) continue;
    const int mul = m.only(g.nodes[div].outputs[0], "Mul", 2);
    if (mul < 0) continue;
    const int gamma = other(g.nodes[mul], g.nodes[div].outputs[0]);
    if (gamma < 0 || !m.param(gamma, last)) continue;
    int out = g.nodes[mul].outputs[0], beta = -1;
    const int add = m.only(out, "Add", 2);
    if (add >= 0) {
      const int b = other(g.nodes[add], out);
      if (b >= 0 && m.param(b, last)) {
        beta = b;
        out = g.nodes[add].outputs[0];
      }
    }
    const float epsilon = *eps->data_as<float>();
    const std::vector<int> fused = {sub, sq, rv, ae, sqrt, div, mul, beta >= 0 ? add : -1};
    Node& n = g.nodes[i];
    n.op_type = "LayerNormalization";
    n.opset = 17;
    n.attrs.clear();
    n.attrs["axis"] = int_attr(-1);
    n.attrs["epsilon"] = float_attr(epsilon);
    n.inputs = {x, gamma};
    if (beta >= 0) n.inputs.push_back(beta);
    n.outputs = {out};
    for (int f : fused)
      if (f >= 0) dead[f] = 1;
    ++stats.fused_layer_norm;
    changed = true;
  }
  if (changed) erase_nodes(g, dead);
  return changed;
}

}  // namespace ortl::graph::passes
