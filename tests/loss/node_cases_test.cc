// The onnx backend node tests of the loss family (single-node cases; the *_expanded function
// bodies run under `ort-lite test`).
#include "tests/nn/node_runner.h"

namespace ortl::nntest {
namespace {

TEST(LossNodeCases, AllPass) { run_node_cases({"nllloss", "sce", "adagrad", "adam", "momentum", "nesterov_momentum"}); }

}  // namespace
}  // namespace ortl::nntest
