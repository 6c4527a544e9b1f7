// Helpers shared by the pass tests (tests/passes/*.cc): random tensors, running a graph
// unoptimized, and optimizing a copy of a model and comparing its outputs with the original's.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <memory>

#include "../runtime/model_builder.h"
#include "graph/loader.h"
#include "graph/passes/optimize.h"
#include "runtime/session.h"

namespace ortl::test {

using graph::PassStats;

inline Tensor make_rand(const std::vector<int64_t>& shape, uint32_t seed, float lo = -1.f, float hi = 1.f) {
  Tensor t(DType::kFloat, shape);
  uint32_t s = seed * 2654435761u + 12345u;
  for (int64_t i = 0; i < t.numel(); ++i) {
    s = s * 1664525u + 1013904223u;
    t.data_as<float>()[i] = lo + (hi - lo) * static_cast<float>(s >> 8) / static_cast<float>(1u << 24);
  }
  return t;
}

inline void attr_float(onnx::NodeProto& n, const std::string& name, float v) {
  auto* a = n.add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::FLOAT);
  a->set_f(v);
}

inline Tensor make_bool_scalar(bool v) {
  Tensor t(DType::kBool, {});
  *static_cast<uint8_t*>(t.data()) = v ? 1 : 0;
  return t;
}

inline std::vector<Tensor> run(std::shared_ptr<graph::Graph> g,
                               const std::vector<std::pair<std::string, Tensor>>& inputs) {
  runtime::Options o;
  o.threads = 1;
  o.optimization_level = 0;
  runtime::Session s(std::move(g), o);
  return s.run(inputs, {});
}

// Loads the model twice, optimizes one copy, checks node counts and that both compute the same.
struct Result {
  PassStats stats;
  size_t nodes_before = 0;
  size_t nodes_after = 0;
  std::shared_ptr<graph::Graph> optimized;
};

inline Result optimize_and_compare(const ModelBuilder& b, const std::vector<std::pair<std::string, Tensor>>& inputs,
                                   float tol = 1e-4f, int level = 1) {
  const std::string bytes = b.bytes();
  auto ref = graph::load_model_bytes(bytes.data(), bytes.size());
  auto opt = graph::load_model_bytes(bytes.data(), bytes.size());
  Result r;
  r.nodes_before = opt->nodes.size();
  r.stats = graph::optimize(*opt, level);
  r.nodes_after = opt->nodes.size();
  r.optimized = opt;
  const auto want = run(ref, inputs);
  const auto got = run(opt, inputs);
  EXPECT_EQ(want.size(), got.size());
  for (size_t k = 0; k < want.size() && k < got.size(); ++k) {
    EXPECT_EQ(want[k].dtype(), got[k].dtype()) << "output " << k;
    EXPECT_EQ(want[k].shape(), got[k].shape()) << "output " << k;
    if (want[k].shape() != got[k].shape() || want[k].dtype() != DType::kFloat) continue;
    for (int64_t i = 0; i < want[k].numel(); ++i)
      EXPECT_NEAR(want[k].data_as<float>()[i], got[k].data_as<float>()[i], tol) << "output " << k << " at " << i;
  }
  // Output names survive the passes.
  EXPECT_EQ(ref->outputs.size(), opt->outputs.size());
  for (size_t k = 0; k < ref->outputs.size() && k < opt->outputs.size(); ++k)
    EXPECT_EQ(ref->values[ref->outputs[k]].name, opt->values[opt->outputs[k]].name);
  return r;
}

inline int count_op(const graph::Graph& g, const std::string& op) {
  int n = 0;
  for (const auto& node : g.nodes) n += node.op_type == op ? 1 : 0;
  return n;
}

}  // namespace ortl::test
