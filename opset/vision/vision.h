// Builders of the vision op family (listed in opset/vision/ops.inc).
#pragma once

#include "opset/op.h"

namespace ortl::opset {}  // namespace ortl::opset
