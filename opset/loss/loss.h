// Builders of the loss op family (listed in opset/loss/ops.inc).
#pragma once

#include "opset/op.h"

namespace ortl::opset {}  // namespace ortl::opset
