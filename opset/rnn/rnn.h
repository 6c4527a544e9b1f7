// Builders of the rnn op family (listed in opset/rnn/ops.inc).
#pragma once

#include "opset/op.h"

namespace ortl::opset {}  // namespace ortl::opset
