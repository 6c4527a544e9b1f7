// dtype dispatch for the reduce ops: the element types kernels/reduce is instantiated for
// (float16 / bfloat16 reach it widened to float, see opset/nn/half_detour.h).
#pragma once

#include <cstdint>

#include "opset/util.h"

namespace ortl::opset::reduce {

// fn(T{}) for float, double, int32, int64, int8, uint8; bool as uint8 when `allow_bool`.
template <class F>
void dispatch(DType dt, bool allow_bool, const char* op, F&& fn) {
  switch (dt) {
    case DType::kFloat: fn(float{}); break;
    case DType::kDouble: fn(double{}); break;
    case DType::kInt32: fn(int32_t{}); break;
    case DType::kInt64: fn(int64_t{}); break;
    case DType::kInt8: fn(int8_t{}); break;
    case DType::kUInt8: fn(uint8_t{}); break;
    case DType::kBool:
      if (allow_bool) {
        fn(uint8_t{});
        break;
      }
      [[fallthrough]];
    default: fail(ErrorCode::kNotImplemented, op, ": dtype ", dtype_name(dt), " is not supported");
  }
}

inline bool supported(DType dt, bool allow_bool) {
  switch (dt) {
    case DType::kFloat:
    case DType::kDouble:
    case DType::kInt32:
    case DType::kInt64:
    case DType::kInt8:
    case DType::kUInt8:
    case DType::kUndefined: return true;
    case DType::kFloat16:
    case DType::kBFloat16: return true;  // widened to float by the op
    case DType::kBool: return allow_bool;
    default: return false;
  }
}

}  // namespace ortl::opset::reduce
