// The ONNX backend node tests of the nn ops, run through the op harness (tests/nn/node_runner.h).
#include "tests/nn/node_runner.h"

namespace ortl::nntest {
namespace {

TEST(NodeCases, Nn) {
  run_node_cases({"batchnorm", "layer_normalization", "instancenorm", "group_normalization", "softmax", "logsoftmax",
                  "hardmax", "lrn", "lpnormalization", "mvn"});
}

}  // namespace
}  // namespace ortl::nntest
