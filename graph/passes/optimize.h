// Graph simplification passes run at session creation (SessionOptions.optimization_level >= 1):
// Identity / inference-Dropout removal, constant folding, no-op removal, Conv + BatchNormalization
// folding, Conv [+ Add] [+ activation] fusion into ai.ortlite.FusedConv, Gelu and LayerNormalization
// subgraph fusion, and MatMul + Add(bias) fusion into Gemm / ai.ortlite.MatMulBias; at level >= 2
// also the blocked channel layout for conv chains (NCHWc, passes/nchwc.cc). Only the top-level
// graph is rewritten; values read by subgraphs (by name) are left alone.
#pragma once

#include "graph/ir.h"

namespace ortl::graph {

struct PassStats {
  int removed_identity = 0;  // Identity nodes bypassed and removed
  int removed_dropout = 0;   // inference Dropout nodes bypassed and removed
  int folded_bn = 0;         // BatchNormalization nodes folded into the preceding Conv
  int fused_conv_add = 0;    // Add nodes fused into the preceding Conv (residual sum)
  int fused_conv_act = 0;    // activations (Relu, Clip, LeakyRelu, HardSwish, SiLU) fused into a Conv
  int fused_matmul_add = 0;  // MatMul + Add(constant bias) pairs made one Gemm / ai.ortlite.MatMulBias
  int fused_gelu = 0;        // Erf-based Gelu subgraphs made one Gelu node
  int fused_layer_norm = 0;  // LayerNormalization subgraphs made one LayerNormalization node
  int removed_noop = 0;      // Reshape / Cast / Transpose / Expand / Squeeze / Unsqueeze that change nothing
  int folded_constant = 0;   // nodes evaluated at load, their outputs made initializers
  int nchwc_convs = 0;       // convs moved to the blocked channel layout (level 2)
  int nchwc_reorders = 0;    // layout changes inserted at the borders of the blocked region
  int total() const {
    return removed_identity + removed_dropout + folded_bn + fused_conv_add + fused_conv_act + fused_matmul_add +
           fused_gelu + fused_layer_norm + removed_noop + folded_constant + nchwc_convs;
  }
};

// Runs every pass enabled at `level` (nothing below 1) and re-finalizes the graph when anything
// changed. Initializers are never modified in place: folded weights become new values.
PassStats optimize(Graph& g, int level);

}  // namespace ortl::graph
