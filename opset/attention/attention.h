// Builders of the attention op family (listed in opset/attention/ops.inc).
#pragma once

#include "opset/op.h"

namespace ortl::opset {}  // namespace ortl::opset
