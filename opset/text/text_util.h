// Helpers shared by the text ops (string and ai.onnx.ml families).
#pragma once

#include <string>

#include "opset/op.h"
#include "opset/util.h"

namespace ortl::opset::text {

// Checks that input i, when its dtype is known, is one of `allowed`; names the op and input.
inline void check_dtype(const InferContext& ctx, int i, std::initializer_list<DType> allowed, const char* op,
                        const char* input) {
  const DType t = ctx.input_dtype(i);
  if (t == DType::kUndefined) return;
  for (DType a : allowed)
    if (a == t) return;
  fail(ErrorCode::kInvalidArgument, op, ": input '", input, "' has dtype ", dtype_name(t), ", which is not supported");
}

inline void check_dtype(const Tensor& t, std::initializer_list<DType> allowed, const char* op, const char* input) {
  for (DType a : allowed)
    if (a == t.dtype()) return;
  fail(ErrorCode::kInvalidArgument, op, ": input '", input, "' has dtype ", dtype_name(t.dtype()),
       ", which is not supported");
}

// Output 0 = input 0's shape with dtype `dt`.
inline void same_shape_as_input(InferContext& ctx, DType dt) {
  const TypeInfo& x = ctx.input_type(0);
  ctx.set_output(0, TypeInfo{dt, x.has_shape, x.shape});
}

}  // namespace ortl::opset::text
