// Planning for one input signature: type/shape inference with plan-time constant folding, then
// buffer lifetimes, in-place reuse, views, and arena offsets (greedy by size).
#pragma once

#include <memory>
#include <optional>
#include <vector>

#include "runtime/session.h"

namespace ortl::runtime {

struct InferState {
  std::vector<graph::TypeInfo> types;         // per value
  std::vector<std::optional<Tensor>> values;  // per value, when known
  std::vector<char> folded;                   // per node (filled by infer_graph)
};

// Infers every node in order. With `fold`, nodes whose inputs are all known and small are
// evaluated now, so shape subgraphs (Shape -> Gather -> Concat -> Reshape) become constants.
// With `lenient`, a node whose inference throws keeps its outputs untyped.
void infer_graph(const graph::Graph& g, const std::vector<std::unique_ptr<opset::OpKernel>>& kernels, InferState& st,
                 bool fold, kernels::Parallel& par, bool lenient = false);

std::shared_ptr<Plan> plan_memory(const graph::Graph& g, const std::vector<std::unique_ptr<opset::OpKernel>>& kernels,
                                  InferState st);

}  // namespace ortl::runtime
