// Helpers shared by the normalization and softmax ops: float dtype checks and dispatch, and
// products of concrete dims.
#pragma once

#include <cstdint>
#include <vector>

#include "opset/util.h"

namespace ortl::opset::nn {

inline bool is_float(DType dt) {
  return dt == DType::kFloat || dt == DType::kDouble || dt == DType::kFloat16 || dt == DType::kBFloat16;
}

// infer(): the dtype must be a float type when known (kNotImplemented otherwise, so test
// runners report an unsupported type rather than a failure). float16 / bfloat16 run through
// run_half_as_float (opset/nn/half_detour.h).
inline void check_float(DType dt, const char* op) {
  check(dt == DType::kUndefined || is_float(dt), ErrorCode::kNotImplemented, op, ": dtype ", dtype_name(dt),
        " is not supported (float, double, float16, bfloat16)");
}

// fn(T{}) with T float or double.
template <class F>
void dispatch_float(DType dt, const char* op, F&& fn) {
  switch (dt) {
    case DType::kFloat: fn(float{}); break;
    case DType::kDouble: fn(double{}); break;
    default: fail(ErrorCode::kNotImplemented, op, ": dtype ", dtype_name(dt), " is not supported (float, double)");
  }
}

inline int64_t prod(const std::vector<int64_t>& s, size_t b, size_t e) {
  int64_t p = 1;
  for (size_t i = b; i < e && i < s.size(); ++i) p *= s[i];
  return p;
}

// The output has input 0's type (dtype and shape).
inline void infer_same(InferContext& ctx, const char* op) {
  check_float(ctx.input_dtype(0), op);
  ctx.set_output(0, ctx.input_type(0));
}

// Throws kInvalidArgument unless `t` holds `n` elements of dtype `dt`.
inline void check_param(const Tensor* t, DType dt, int64_t n, const char* op, const char* name) {
  check(t != nullptr, ErrorCode::kInvalidArgument, op, ": input '", name, "' is missing");
  check(t->dtype() == dt, ErrorCode::kInvalidArgument, op, ": input '", name, "' is ", dtype_name(t->dtype()),
        ", expected ", dtype_name(dt));
  check(t->numel() == n, ErrorCode::kInvalidArgument, op, ": input '", name, "' has shape ", shape_str(t->shape()),
        ", expected ", n, " elements");
}

}  // namespace ortl::opset::nn
