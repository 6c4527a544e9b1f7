// Helpers shared by the elementwise ops: broadcast type inference, kernel plans from tensors,
// the float detour for float16 / bfloat16, and dtype dispatch.
#pragma once

#include <initializer_list>
#include <vector>

#include "kernels/eltwise/broadcast.h"
#include "kernels/eltwise/half.h"
#include "opset/op.h"
#include "opset/util.h"

namespace ortl::opset::eltwise {

bool is_float_type(DType t);    // float, double, float16, bfloat16
bool is_half_type(DType t);     // float16, bfloat16
bool is_integer_type(DType t);  // int8..int64, uint8..uint64
bool is_signed_type(DType t);   // floats and signed integers

// Output type of a broadcasting op over the given inputs (omitted ones skipped): numpy shape,
// has_shape = false when any input rank is unknown.
TypeInfo broadcast_type(const InferContext& ctx, std::initializer_list<int> inputs, DType out_dtype);

// Throws kInvalidArgument unless every given input has input 0's dtype.
void check_same_dtype(const InferContext& ctx, std::initializer_list<int> inputs, const char* op);

// Kernel plan for `out` over `ins`; throws kInvalidArgument when an input does not broadcast to
// out's shape (the run-time check: shapes can differ from the ones inferred).
kernels::BroadcastPlan make_plan(const Tensor& out, std::initializer_list<const Tensor*> ins);

// Shape broadcast of run-time tensors (throws on mismatch).
std::vector<int64_t> broadcast_of(std::initializer_list<const Tensor*> ins);

// float16 / bfloat16 <-> float tensors (same shape), through opset/util.h's converters.
inline Tensor to_float(const Tensor& t) { return half_to_float(t); }
inline void store_float(const Tensor& f, Tensor& dst) { float_to_half(f.data_as<float>(), dst); }

// Tensor of `to` holding t's values converted (Cast semantics); same shape. t != string.
Tensor convert(const Tensor& t, DType to, kernels::Parallel& par);

// Calls fn(T{}) with T the kernels' storage type of dt: the arithmetic types, or the Bool /
// Half / BFloat16 tags of kernels/eltwise/half.h. Throws kNotImplemented for others.
template <class F>
void dispatch_storage(DType dt, const char* what, F&& fn) {
  switch (dt) {
    case DType::kBool: fn(kernels::Bool{}); break;
    case DType::kFloat16: fn(kernels::Half{}); break;
    case DType::kBFloat16: fn(kernels::BFloat16{}); break;
    default: dispatch_numeric(dt, what, std::forward<F>(fn));
  }
}

}  // namespace ortl::opset::eltwise
