// Helpers shared by op implementations: axis handling, broadcasting of (symbolic) shapes,
// reading small integer/float tensors, and dtype dispatch.
#pragma once

#include <cstdint>
#include <vector>

#include "opset/op.h"

namespace ortl::opset {

// Maps a possibly negative axis into [0, rank); throws kInvalidArgument when out of range.
int64_t normalize_axis(int64_t axis, int64_t rank);

// Numpy-style multidirectional broadcasting of symbolic shapes; throws on a definite mismatch.
Shape broadcast_shapes(const Shape& a, const Shape& b);
std::vector<int64_t> broadcast_shapes(const std::vector<int64_t>& a, const std::vector<int64_t>& b);

// Contents of an int32/int64 (or any integer, int4/int2 included) tensor as int64; of a float/
// double/half/float8/float4 tensor (or an integer one) as float.
std::vector<int64_t> read_ints(const Tensor& t);
std::vector<float> read_floats(const Tensor& t);

// float16 / bfloat16 <-> float for ops whose kernels are float-only: `src` (or `dst`) is a
// 16-bit float tensor, the float side holds the same number of elements. Narrowing rounds to
// nearest even.
void half_to_float(const Tensor& src, float* dst);
void float_to_half(const float* src, Tensor& dst);
Tensor half_to_float(const Tensor& src);  // a float tensor of the same shape

// Product of known dims, or an unknown Dim when any is unknown.
Dim dim_product(const Shape& s, size_t begin, size_t end);

// The compile-time constant in input `slot` of the node being built: an initializer that is not
// also a graph input (which a caller could override). Null otherwise, or for an omitted input.
const Tensor* constant_input(const BuildContext& ctx, size_t slot);

// Concrete shape of a run-time tensor as a graph::Shape.
inline Shape shape_of(const Tensor& t) { return graph::from_concrete(t.shape()); }

// Calls fn(T{}) with T the C++ type of dt, for the numeric dtypes; throws kNotImplemented for
// others, naming `what`. float16/bfloat16 are not dispatched here (they use uint16_t storage).
template <class F>
void dispatch_numeric(DType dt, const char* what, F&& fn) {
  switch (dt) {
    case DType::kFloat: fn(float{}); break;
    case DType::kDouble: fn(double{}); break;
    case DType::kInt64: fn(int64_t{}); break;
    case DType::kInt32: fn(int32_t{}); break;
    case DType::kInt16: fn(int16_t{}); break;
    case DType::kInt8: fn(int8_t{}); break;
    case DType::kUInt8: fn(uint8_t{}); break;
    case DType::kUInt16: fn(uint16_t{}); break;
    case DType::kUInt32: fn(uint32_t{}); break;
    case DType::kUInt64: fn(uint64_t{}); break;
    default: fail(ErrorCode::kNotImplemented, what, ": dtype ", dtype_name(dt), " is not supported");
  }
}

// Same, by element size only: for ops that move bytes without interpreting them (Transpose,
// Gather, Concat, ...). Strings are not handled here.
template <class F>
void dispatch_by_size(DType dt, const char* what, F&& fn) {
  switch (dtype_size(dt)) {
    case 1: fn(uint8_t{}); break;
    case 2: fn(uint16_t{}); break;
    case 4: fn(uint32_t{}); break;
    case 8: fn(uint64_t{}); break;
    default: fail(ErrorCode::kNotImplemented, what, ": dtype ", dtype_name(dt), " is not supported");
  }
}

}  // namespace ortl::opset
