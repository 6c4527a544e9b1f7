// Graph simplification passes run at session creation (SessionOptions.optimization_level >= 1):
// Identity / inference-Dropout removal, then Conv + BatchNormalization folding. Only the top-level
// graph is rewritten; values read by subgraphs (by name) are left alone.
#pragma once

#include "graph/ir.h"

namespace ortl::graph {

struct PassStats {
  int removed_identity = 0;  // Identity nodes bypassed and removed
  int removed_dropout = 0;   // inference Dropout nodes bypassed and removed
  int folded_bn = 0;         // BatchNormalization nodes folded into the preceding Conv
  int total() const { return removed_identity + removed_dropout + folded_bn; }
};

// Runs every pass enabled at `level` (nothing below 1) and re-finalizes the graph when anything
// changed. Initializers are never modified in place: folded weights become new values.
PassStats optimize(Graph& g, int level);

}  // namespace ortl::graph
