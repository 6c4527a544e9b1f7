// Builders of the signal op family (listed in opset/signal/ops.inc).
#pragma once

#include "opset/op.h"

namespace ortl::opset {}  // namespace ortl::opset
