// Helpers of the sequence and optional ops: building sequence values and types, reading a
// sequence input, and checked positions.
#pragma once

#include <vector>

#include "opset/op.h"

namespace ortl::opset::control {

// A sequence value of `items` (which must own their memory).
inline CompositePtr make_sequence(DType elem, std::vector<Tensor> items) {
  auto c = std::make_shared<Composite>();
  c->kind = ValueKind::kSequence;
  c->elem_dtype = elem;
  c->items = std::move(items);
  return c;
}

// The type of a sequence of `elem` tensors of unknown shapes.
inline TypeInfo sequence_type(DType elem) {
  TypeInfo t;
  t.dtype = elem;
  t.kind = ValueKind::kSequence;
  return t;
}

// Input i, which must be a sequence (an optional holding one is accepted too).
inline const Composite& sequence_input(const RunContext& ctx, int i, const char* op) {
  const Composite* c = ctx.input_composite(i);
  if (!c || !(c->kind == ValueKind::kSequence || (c->kind == ValueKind::kOptionalSequence && c->has_element)))
    fail(ErrorCode::kInvalidArgument, op, ": input ", i, " must be a sequence");
  return *c;
}

// The position held by scalar input i, in [-n, hi] (negative counts from the end); returns it
// in [0, hi].
inline int64_t position(const RunContext& ctx, int i, int64_t n, int64_t hi, const char* op) {
  const Tensor* t = ctx.input(i);
  check(t != nullptr && t->numel() == 1 && (t->dtype() == DType::kInt64 || t->dtype() == DType::kInt32),
        ErrorCode::kInvalidArgument, op, ": position must be an int32/int64 scalar");
  int64_t p = t->dtype() == DType::kInt64 ? *t->data_as<int64_t>() : *t->data_as<int32_t>();
  if (p < -n || p > hi)
    fail(ErrorCode::kInvalidArgument, op, ": position ", p, " is out of range [", -n, ", ", hi, "]");
  return p < 0 ? p + n : p;
}

}  // namespace ortl::opset::control
