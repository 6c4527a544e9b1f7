// Fuses MatMul(A, B) -> Add(bias) into one node that adds the bias inside the GEMM:
//   A known 2-D (and bias rank <= 2): a standard Gemm (beta = 1, C = the bias row);
//   otherwise (N-D or unknown-rank A): ai.ortlite.MatMulBias (opset/linalg/matmul_bias.cc), which
//   folds A's batch into M and runs one GEMM on top of the prefilled bias.
// Conditions: default-domain MatMul with a constant float32 2-D B [K, N]; its output has the Add as
// only reader and is neither a graph output nor read by a subgraph; the Add's other operand is a
// constant float32 bias whose dims are all 1 but the last, which is N or 1 (so the Add broadcasts
// only along rows and the result is what the unfused Add computes). The fused node writes the
// Add's output, so names downstream are unchanged.
#include "graph/passes/pass_util.h"

namespace ortl::graph::passes {
namespace {

bool bias_row(const Tensor& c, int64_t n) {
  if (c.dtype() != DType::kFloat) return false;
  const int64_t last = c.rank() == 0 ? 1 : c.dim(-1);
  return c.numel() == last && (last == 1 || last == n);
}

}  // namespace

bool fuse_matmul_add(Graph& g, PassStats& stats) {
  const std::unordered_set<std::string> pinned = names_read_by_subgraphs(g);
  std::vector<char> dead(g.nodes.size(), 0);
  bool changed = false;
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    const Node& mm = g.nodes[i];
    if (mm.op_type != "MatMul" || !mm.domain.empty() || mm.inputs.size() != 2 || mm.outputs.size() != 1) continue;
    if (mm.inputs[0] < 0 || mm.outputs[0] < 0) continue;
    const Tensor* b = constant_of(g, mm.inputs[1]);
    if (!b || b->dtype() != DType::kFloat || b->rank() != 2) continue;
    const Value& mid = g.values[mm.outputs[0]];
    if (mid.is_output || pinned.count(mid.name) || mid.consumers.size() != 1) continue;
    const int r = mid.consumers[0];
    const Node& add = g.nodes[r];
    if (dead[r] || add.op_type != "Add" || !add.domain.empty() || add.inputs.size() != 2 || add.outputs.size() != 1 ||
        add.outputs[0] < 0 || add.inputs[0] == add.inputs[1])
      continue;
    const int bias = add.inputs[0] == mm.outputs[0] ? add.inputs[1] : add.inputs[0];
    const Tensor* c = constant_of(g, bias);
    if (!c || !bias_row(*c, b->dim(1))) continue;
    const TypeInfo& at = g.values[mm.inputs[0]].type;
    const bool two_d = at.rank() == 2 && c->rank() <= 2;
    const int out = add.outputs[0];

    Node& n = g.nodes[i];
    n.inputs.push_back(bias);
    n.outputs[0] = out;
    n.attrs.clear();
    if (two_d) {
      n.op_type = "Gemm";
      n.opset = 13;  // C optional, any C broadcast; the kernel is the same for every version
    } else {
      n.domain = "ai.ortlite";
      n.op_type = "MatMulBias";
      n.opset = 1;
      g.opsets.emplace("ai.ortlite", 1);
    }
    dead[r] = 1;
    ++stats.fused_matmul_add;
    changed = true;
  }
  if (changed) erase_nodes(g, dead);
  return changed;
}

}  // namespace ortl::graph::passes
