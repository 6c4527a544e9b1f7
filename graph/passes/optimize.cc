// The pass driver and the helpers the passes share.
#include "graph/passes/optimize.h"

#include "graph/passes/pass_util.h"

namespace ortl::graph {
namespace passes {
namespace {

void collect_outer(const Graph& g, std::unordered_set<std::string>& out) {
  for (const Value& v : g.values)
    if (v.is_outer) out.insert(v.name);
  for (const Node& n : g.nodes) {
    for (const auto& [name, a] : n.attrs) {
      if (a.type == AttrType::kGraph && a.g) collect_outer(*a.g, out);
      if (a.type == AttrType::kGraphs)
        for (const auto& sg : a.graphs)
          if (sg) collect_outer(*sg, out);
    }
  }
}

}  // namespace

std::unordered_set<std::string> names_read_by_subgraphs(const Graph& g) {
  std::unordered_set<std::string> out;
  for (const Node& n : g.nodes) {
    for (const auto& [name, a] : n.attrs) {
      if (a.type == AttrType::kGraph && a.g) collect_outer(*a.g, out);
      if (a.type == AttrType::kGraphs)
        for (const auto& sg : a.graphs)
          if (sg) collect_outer(*sg, out);
    }
  }
  return out;
}

const Tensor* constant_of(const Graph& g, int value) {
  if (value < 0 || value >= static_cast<int>(g.values.size())) return nullptr;
  const Value& v = g.values[value];
  if (!v.initializer || v.is_input || !v.initializer->defined()) return nullptr;
  return &*v.initializer;
}

std::string unique_name(const Graph& g, const std::string& base) {
  if (g.find(base) < 0) return base;
  for (int k = 1;; ++k) {
    std::string name = base + "_" + std::to_string(k);
    if (g.find(name) < 0) return name;
  }
}

Attribute int_attr(int64_t i) {
  Attribute a;
  a.type = AttrType::kInt;
  a.i = i;
  return a;
}

Attribute float_attr(float f) {
  Attribute a;
  a.type = AttrType::kFloat;
  a.f = f;
  return a;
}

Attribute string_attr(std::string s) {
  Attribute a;
  a.type = AttrType::kString;
  a.s = std::move(s);
  return a;
}

void erase_nodes(Graph& g, const std::vector<char>& dead) {
  std::vector<Node> kept;
  kept.reserve(g.nodes.size());
  for (size_t i = 0; i < g.nodes.size(); ++i)
    if (!dead[i]) kept.push_back(std::move(g.nodes[i]));
  g.nodes = std::move(kept);
}

}  // namespace passes

PassStats optimize(Graph& g, int level) {
  PassStats stats;
  if (level < 1) return stats;
  // Each pass expects current links and leaves them stale when it changed something.
  if (passes::remove_identity_dropout(g, stats)) g.finalize();
  if (passes::fold_constants(g, stats)) g.finalize();
  if (passes::remove_noops(g, stats)) g.finalize();
  if (passes::fold_conv_batchnorm(g, stats)) g.finalize();
  if (passes::fuse_conv_activation(g, stats)) g.finalize();
  if (passes::fuse_gelu(g, stats)) g.finalize();
  if (passes::fuse_layer_norm(g, stats)) g.finalize();
  if (passes::fuse_matmul_add(g, stats)) g.finalize();
  if (level >= 2 && passes::convert_to_nchwc(g, stats)) g.finalize();
  return stats;
}

}  // namespace ortl::graph
