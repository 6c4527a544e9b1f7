// Folds an inference BatchNormalization into the Conv that feeds it:
//   s = scale / sqrt(var + eps);  W'[m, ...] = W[m, ...] * s[m];  B'[m] = (B[m] - mean[m]) * s[m] + bias[m]
// Conditions: float32 constant W (and B when present) and constant BN parameters of M values
// each (M = output channels); the Conv output has the BN as its only reader and is neither a graph
// output nor read by a subgraph; BN runs in inference (training_mode = 0, spatial = 1) and its
// optional statistics outputs are unused. The Conv then writes the BN's output; W' and B' are
// new initializers (the originals may be shared and are left as they are).
#include <cmath>

#include "graph/passes/pass_util.h"

namespace ortl::graph::passes {
namespace {

const Tensor* f32_vector(const Graph& g, const Node& n, size_t slot, int64_t m) {
  if (slot >= n.inputs.size()) return nullptr;
  const Tensor* t = constant_of(g, n.inputs[slot]);
  if (!t || t->dtype() != DType::kFloat || t->numel() != m) return nullptr;
  return t;
}

bool extra_outputs_unused(const Graph& g, const Node& n, const std::unordered_set<std::string>& pinned) {
  for (size_t k = 1; k < n.outputs.size(); ++k) {
    if (n.outputs[k] < 0) continue;
    const Value& v = g.values[n.outputs[k]];
    if (v.is_output || !v.consumers.empty() || pinned.count(v.name)) return false;
  }
  return true;
}

int add_initializer(Graph& g, const std::string& base, Tensor t) {
  const int id = g.add_value(unique_name(g, base));
  Value& v = g.values[id];
  v.type = TypeInfo::of(t.dtype(), from_concrete(t.shape()));
  v.initializer = std::move(t);
  return id;
}

// Folds nodes[bn] into nodes[conv] when allowed; returns whether it did.
bool try_fold(Graph& g, int conv, int bn, const std::unordered_set<std::string>& pinned) {
  const Node& c = g.nodes[conv];
  const Node& b = g.nodes[bn];
  if (c.outputs.size() != 1 || c.outputs[0] < 0 || c.inputs.size() < 2) return false;
  const Value& mid = g.values[c.outputs[0]];
  if (mid.is_output || pinned.count(mid.name) || mid.consumers.size() != 1 || mid.consumers[0] != bn) return false;
  if (b.inputs.size() != 5 || b.inputs[0] != c.outputs[0] || b.outputs.empty() || b.outputs[0] < 0) return false;
  if (b.get_int("training_mode", 0) != 0 || b.get_int("spatial", 1) != 1) return false;
  if (!extra_outputs_unused(g, b, pinned)) return false;

  const Tensor* w = constant_of(g, c.inputs[1]);
  if (!w || w->dtype() != DType::kFloat || w->rank() < 3) return false;
  const int64_t m = w->dim(0);
  if (m <= 0) return false;
  const Tensor* cb = nullptr;
  if (c.inputs.size() >= 3 && c.inputs[2] >= 0) {
    cb = f32_vector(g, c, 2, m);
    if (!cb) return false;
  }
  const Tensor* scale = f32_vector(g, b, 1, m);
  const Tensor* bias = f32_vector(g, b, 2, m);
  const Tensor* mean = f32_vector(g, b, 3, m);
  const Tensor* var = f32_vector(g, b, 4, m);
  if (!scale || !bias || !mean || !var) return false;
  const double eps = b.get_float("epsilon", 1e-5f);

  Tensor nw(DType::kFloat, w->shape());
  Tensor nb(DType::kFloat, {m});
  const int64_t per = w->numel() / m;
  const float* pw = w->data_as<float>();
  float* qw = nw.data_as<float>();
  for (int64_t o = 0; o < m; ++o) {
    const double s = scale->data_as<float>()[o] / std::sqrt(static_cast<double>(var->data_as<float>()[o]) + eps);
    for (int64_t k = 0; k < per; ++k) qw[o * per + k] = static_cast<float>(pw[o * per + k] * s);
    const double b0 = cb ? cb->data_as<float>()[o] : 0.0;
    nb.data_as<float>()[o] = static_cast<float>((b0 - mean->data_as<float>()[o]) * s + bias->data_as<float>()[o]);
  }

  // Names are read before add_value, which may reallocate g.values.
  const std::string wname = g.values[c.inputs[1]].name + "_bnfold";
  const std::string bname = cb ? g.values[c.inputs[2]].name + "_bnfold" : c.name + "_bias_bnfold";
  const int y = b.outputs[0];
  const int wid = add_initializer(g, wname, std::move(nw));
  const int bid = add_initializer(g, bname, std::move(nb));
  Node& cm = g.nodes[conv];
  cm.inputs.resize(3);
  cm.inputs[1] = wid;
  cm.inputs[2] = bid;
  cm.outputs[0] = y;
  return true;
}

}  // namespace

bool fold_conv_batchnorm(Graph& g, PassStats& stats) {
  const std::unordered_set<std::string> pinned = names_read_by_subgraphs(g);
  std::vector<char> dead(g.nodes.size(), 0);
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    const Node& b = g.nodes[i];
    if (b.op_type != "BatchNormalization" || !b.domain.empty() || b.inputs.empty() || b.inputs[0] < 0) continue;
    const int p = g.values[b.inputs[0]].producer;
    if (p < 0 || dead[p]) continue;
    const Node& c = g.nodes[p];
    if (c.op_type != "Conv" || !c.domain.empty()) continue;
    if (try_fold(g, p, static_cast<int>(i), pinned)) {
      dead[i] = 1;
      ++stats.folded_bn;
    }
  }
  bool changed = false;
  for (char d : dead) changed = changed || d;
  if (changed) erase_nodes(g, dead);
  return changed;
}

}  // namespace ortl::graph::passes
