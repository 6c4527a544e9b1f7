// The ONNX backend node tests of the reduce ops, run through the op harness (tests/nn/node_runner.h).
#include "tests/nn/node_runner.h"

namespace ortl::nntest {
namespace {

TEST(NodeCases, Reduce) { run_node_cases({"reduce_", "argmax", "argmin"}); }

}  // namespace
}  // namespace ortl::nntest
