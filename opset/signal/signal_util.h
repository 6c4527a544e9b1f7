// Helpers shared by the signal ops: scalar inputs, the output_datatype attribute of the
// generator ops (windows, MelWeightMatrix), and writing computed values in any numeric dtype.
#pragma once

#include <string>
#include <vector>

#include "opset/util.h"

namespace ortl::opset::signal {

// Input i, or null when omitted or past the node's inputs (run_half_as_float's context does
// not check the bound itself).
inline const Tensor* opt_input(const RunContext& ctx, int i) { return i < ctx.num_inputs() ? ctx.input(i) : nullptr; }

// Input i, which must be present; kInvalidArgument naming `name` otherwise.
const Tensor& req_input(const RunContext& ctx, int i, const char* op, const char* name);

// The single integer value of an int32/int64 tensor; throws kInvalidArgument naming `name`.
int64_t scalar_int(const Tensor& t, const char* op, const char* name);
// The single value of a float/double/float16/bfloat16 tensor as double.
double scalar_float(const Tensor& t, const char* op, const char* name);

// output_datatype (default float): a numeric or 16-bit float dtype, else kInvalidArgument.
DType output_datatype(const graph::Node& n, const char* op);

// dst[i] = v[i] converted to dst's dtype (integers truncate toward zero, as a C cast).
void write_values(const std::vector<double>& v, Tensor& dst, const char* op);

}  // namespace ortl::opset::signal
