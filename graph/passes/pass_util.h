// Helpers shared by the passes in graph/passes/ (internal to them).
#pragma once

#include <string>
#include <unordered_set>
#include <vector>

#include "graph/passes/optimize.h"

namespace ortl::graph::passes {

// Names of values read by subgraphs of `g`'s nodes (at any depth): they have no consumer link in
// `g`, so passes must not remove or rename them.
std::unordered_set<std::string> names_read_by_subgraphs(const Graph& g);

// A compile-time constant: an initializer that is not also a graph input (which a caller could
// override). Null otherwise, or for an omitted input (-1).
const Tensor* constant_of(const Graph& g, int value);

// A value name not used in `g` yet, derived from `base`.
std::string unique_name(const Graph& g, const std::string& base);

// Attributes for nodes a pass writes.
Attribute int_attr(int64_t i);
Attribute float_attr(float f);
Attribute string_attr(std::string s);

// Drops the nodes marked in `dead` (same size as g.nodes); value ids are unchanged.
void erase_nodes(Graph& g, const std::vector<char>& dead);

// The passes; each updates `stats` and returns whether it changed the graph. The graph's
// producer/consumer links must be current on entry (finalize()) and are stale on exit when true.
bool remove_identity_dropout(Graph& g, PassStats& stats);
bool fold_conv_batchnorm(Graph& g, PassStats& stats);
bool fuse_conv_activation(Graph& g, PassStats& stats);
bool fuse_matmul_add(Graph& g, PassStats& stats);
bool fuse_gelu(Graph& g, PassStats& stats);
bool fuse_layer_norm(Graph& g, PassStats& stats);
bool remove_noops(Graph& g, PassStats& stats);
bool fold_constants(Graph& g, PassStats& stats);
bool convert_to_nchwc(Graph& g, PassStats& stats);

}  // namespace ortl::graph::passes
