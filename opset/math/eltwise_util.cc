#include "opset/math/eltwise_util.h"

#include "kernels/eltwise/eltwise.h"

namespace ortl::opset::eltwise {

bool is_half_type(DType t) { return t == DType::kFloat16 || t == DType::kBFloat16; }
bool is_float_type(DType t) { return t == DType::kFloat || t == DType::kDouble || is_half_type(t); }
bool is_integer_type(DType t) {
  switch (t) {
    case DType::kInt8:
    case DType::kInt16:
    case DType::kInt32:
    case DType::kInt64:
    case DType::kUInt8:
    case DType::kUInt16:
    case DType::kUInt32:
    case DType::kUInt64: return true;
    default: return false;
  }
}
bool is_signed_type(DType t) {
  return is_float_type(t) || t == DType::kInt8 || t == DType::kInt16 || t == DType::kInt32 || t == DType::kInt64;
}

TypeInfo broadcast_type(const InferContext& ctx, std::initializer_list<int> inputs, DType out_dtype) {
  TypeInfo out;
  out.dtype = out_dtype;
  out.has_shape = true;
  for (int i : inputs) {
    if (!ctx.has_input(i)) continue;
    const TypeInfo& t = ctx.input_type(i);
    if (!t.has_shape) {
      out.has_shape = false;
      out.shape.clear();
      return out;
    }
    out.shape = broadcast_shapes(out.shape, t.shape);
  }
  return out;
}

void check_same_dtype(const InferContext& ctx, std::initializer_list<int> inputs, const char* op) {
  const DType t0 = ctx.input_dtype(*inputs.begin());
  for (int i : inputs) {
    if (!ctx.has_input(i)) continue;
    const DType t = ctx.input_dtype(i);
    check(t == t0, ErrorCode::kInvalidArgument, op, ": input ", i, " has dtype ", dtype_name(t), " but input ",
          *inputs.begin(), " has ", dtype_name(t0));
  }
}

kernels::BroadcastPlan make_plan(const Tensor& out, std::initializer_list<const Tensor*> ins) {
  std::vector<std::vector<int64_t>> shapes;
  for (const Tensor* t : ins) {
    check(kernels::broadcasts_to(t->shape(), out.shape()), ErrorCode::kInvalidArgument, "input shape ",
          shape_str(t->shape()), " does not broadcast to the output shape ", shape_str(out.shape()));
    shapes.push_back(t->shape());
  }
  return kernels::make_broadcast_plan(out.shape(), shapes);
}

std::vector<int64_t> broadcast_of(std::initializer_list<const Tensor*> ins) {
  std::vector<int64_t> s;
  for (const Tensor* t : ins) s = broadcast_shapes(s, t->shape());
  return s;
}

Tensor convert(const Tensor& t, DType to, kernels::Parallel& par) {
  Tensor out(to, t.shape());
  dispatch_storage(t.dtype(), "Cast", [&](auto s) {
    using S = decltype(s);
    dispatch_storage(to, "Cast", [&](auto d) {
      using D = decltype(d);
      kernels::cast<S, D>(static_cast<const S*>(t.data()), static_cast<D*>(out.data()), t.numel(), par);
    });
  });
  return out;
}

}  // namespace ortl::opset::eltwise
