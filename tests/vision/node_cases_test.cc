// The ONNX backend node tests of the vision ops, run through the op harness
// (tests/nn/node_runner.h); multi-node *_expanded cases are left to `ort-lite test`.
#include "tests/nn/node_runner.h"

namespace ortl::nntest {
namespace {

TEST(NodeCases, Vision) {
  run_node_cases({"gridsample", "nonmaxsuppression", "einsum", "top_k", "unique", "col2im", "affine_grid",
                  "basic_deform_conv", "deform_conv", "roialign", "maxunpool", "det_"});
}

}  // namespace
}  // namespace ortl::nntest
