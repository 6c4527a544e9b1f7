// The one declarative list of built-in ops. Each family keeps its lines in opset/<family>/ops.inc
// and declares its builders in opset/<family>/<family>.h.
#include "opset/builders.h"
#include "opset/registry.h"

namespace ortl::opset {

std::vector<OpEntry> builtin_ops() {
  return {
#include "opset/conv/ops.inc"
#include "opset/linalg/ops.inc"
#include "opset/math/ops.inc"
#include "opset/nn/ops.inc"
#include "opset/pool/ops.inc"
#include "opset/reduce/ops.inc"
#include "opset/resize/ops.inc"
#include "opset/tensor/ops.inc"
#include "opset/quant/ops.inc"
#include "opset/attention/ops.inc"
#include "opset/loss/ops.inc"
#include "opset/control/ops.inc"
#include "opset/vision/ops.inc"
#include "opset/signal/ops.inc"
#include "opset/rnn/ops.inc"
#include "opset/text/ops.inc"
  };
}

}  // namespace ortl::opset
