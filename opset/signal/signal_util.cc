#include "opset/signal/signal_util.h"

namespace ortl::opset::signal {

const Tensor& req_input(const RunContext& ctx, int i, const char* op, const char* name) {
  const Tensor* t = opt_input(ctx, i);
  if (!t) fail(ErrorCode::kInvalidArgument, op, ": input '", name, "' is required");
  return *t;
}

int64_t scalar_int(const Tensor& t, const char* op, const char* name) {
  if (t.numel() != 1) {
    fail(ErrorCode::kInvalidArgument, op, ": input '", name, "' must hold one value, got shape ", shape_str(t.shape()));
  }
  if (t.dtype() != DType::kInt32 && t.dtype() != DType::kInt64) {
    fail(ErrorCode::kInvalidArgument, op, ": input '", name, "' must be int32 or int64, got ", dtype_name(t.dtype()));
  }
  return read_ints(t)[0];
}

double scalar_float(const Tensor& t, const char* op, const char* name) {
  if (t.numel() != 1) {
    fail(ErrorCode::kInvalidArgument, op, ": input '", name, "' must hold one value, got shape ", shape_str(t.shape()));
  }
  switch (t.dtype()) {
    case DType::kDouble: return t.data_as<double>()[0];
    case DType::kFloat:
    case DType::kFloat16:
    case DType::kBFloat16: return read_floats(t)[0];
    default: fail(ErrorCode::kInvalidArgument, op, ": input '", name, "' must be a float, got ", dtype_name(t.dtype()));
  }
}

DType output_datatype(const graph::Node& n, const char* op) {
  const int64_t v = n.get_int("output_datatype", static_cast<int64_t>(DType::kFloat));
  switch (static_cast<DType>(v)) {
    case DType::kFloat:
    case DType::kDouble:
    case DType::kFloat16:
    case DType::kBFloat16:
    case DType::kInt8:
    case DType::kInt16:
    case DType::kInt32:
    case DType::kInt64:
    case DType::kUInt8:
    case DType::kUInt16:
    case DType::kUInt32:
    case DType::kUInt64: return static_cast<DType>(v);
    default: fail(ErrorCode::kInvalidArgument, op, ": output_datatype ", v, " is not a numeric tensor type");
  }
}

void write_values(const std::vector<double>& v, Tensor& dst, const char* op) {
  if (dst.dtype() == DType::kFloat16 || dst.dtype() == DType::kBFloat16) {
    const std::vector<float> f(v.begin(), v.end());
    float_to_half(f.data(), dst);
    return;
  }
  dispatch_numeric(dst.dtype(), op, [&](auto tag) {
    using T = decltype(tag);
    T* d = dst.data_as<T>();
    for (size_t i = 0; i < v.size(); ++i) d[i] = static_cast<T>(v[i]);
  });
}

}  // namespace ortl::opset::signal
