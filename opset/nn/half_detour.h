// float16 / bfloat16 support for ops whose kernels are float-only: run the op's float path on
// widened copies of its 16-bit inputs and narrow its 16-bit outputs back (round to nearest even).
// A fallback that costs two conversions per tensor; the kernels themselves stay float/double.
#pragma once

#include <functional>

#include "opset/op.h"

namespace ortl::opset::nn {

inline bool is_half(DType dt) { return dt == DType::kFloat16 || dt == DType::kBFloat16; }

// Calls body(ctx) directly when no input is 16-bit float, else with a context whose 16-bit
// inputs read as float and whose 16-bit outputs are float buffers narrowed after body returns.
void run_half_as_float(RunContext& ctx, const std::function<void(RunContext&)>& body);

}  // namespace ortl::opset::nn
