#include "opset/util.h"

#include <cstring>

#include "kernels/eltwise/half.h"
#include "kernels/eltwise/lowp.h"

namespace ortl::opset {

int64_t normalize_axis(int64_t axis, int64_t rank) {
  check(axis >= -rank && axis < std::max<int64_t>(rank, 1), ErrorCode::kInvalidArgument, "axis ", axis,
        " is out of range for rank ", rank);
  return axis < 0 ? axis + rank : axis;
}

Shape broadcast_shapes(const Shape& a, const Shape& b) {
  const size_t r = std::max(a.size(), b.size());
  Shape out(r);
  for (size_t i = 0; i < r; ++i) {
    const Dim da = i < r - a.size() ? Dim(1) : a[i - (r - a.size())];
    const Dim db = i < r - b.size() ? Dim(1) : b[i - (r - b.size())];
    if (da.known() && db.known()) {
      check(da.value == db.value || da.value == 1 || db.value == 1, ErrorCode::kInvalidArgument, "shapes ",
            graph::shape_str(a), " and ", graph::shape_str(b), " cannot broadcast");
      out[i] = da.value == 1 ? db : da;
    } else if (da.known() && da.value == 1) {
      out[i] = db;
    } else if (db.known() && db.value == 1) {
      out[i] = da;
    } else if (da == db || !db.known()) {
      out[i] = da.known() ? da : (db.known() ? db : da);
    } else {
      out[i] = db;  // one known (not 1), other unknown: the known one must win
    }
  }
  return out;
}

std::vector<int64_t> broadcast_shapes(const std::vector<int64_t>& a, const std::vector<int64_t>& b) {
  return graph::to_concrete(broadcast_shapes(graph::from_concrete(a), graph::from_concrete(b)));
}

std::vector<int64_t> read_ints(const Tensor& t) {
  std::vector<int64_t> v(static_cast<size_t>(t.numel()));
  if (v.empty()) return v;
  switch (t.dtype()) {
    case DType::kInt64: std::memcpy(v.data(), t.data(), v.size() * 8); break;
    case DType::kInt32:
      for (size_t i = 0; i < v.size(); ++i) v[i] = t.data_as<int32_t>()[i];
      break;
    case DType::kInt16:
      for (size_t i = 0; i < v.size(); ++i) v[i] = t.data_as<int16_t>()[i];
      break;
    case DType::kInt8:
      for (size_t i = 0; i < v.size(); ++i) v[i] = t.data_as<int8_t>()[i];
      break;
    case DType::kUInt8:
    case DType::kBool:
      for (size_t i = 0; i < v.size(); ++i) v[i] = t.data_as<uint8_t>()[i];
      break;
    case DType::kInt4:
    case DType::kUInt4:
    case DType::kInt2:
    case DType::kUInt2: {  // one element a byte (tensor.hpp); stray high bits ignored
      namespace lp = kernels::lowp;
      const auto* p = t.data_as<uint8_t>();
      int (*value)(uint8_t) = t.dtype() == DType::kInt4    ? &lp::value<lp::Int4>
                              : t.dtype() == DType::kUInt4 ? &lp::value<lp::UInt4>
                              : t.dtype() == DType::kInt2  ? &lp::value<lp::Int2>
                                                           : &lp::value<lp::UInt2>;
      for (size_t i = 0; i < v.size(); ++i) v[i] = value(p[i]);
      break;
    }
    case DType::kUInt16:
      for (size_t i = 0; i < v.size(); ++i) v[i] = t.data_as<uint16_t>()[i];
      break;
    case DType::kUInt32:
      for (size_t i = 0; i < v.size(); ++i) v[i] = t.data_as<uint32_t>()[i];
      break;
    case DType::kUInt64:
      for (size_t i = 0; i < v.size(); ++i) v[i] = static_cast<int64_t>(t.data_as<uint64_t>()[i]);
      break;
    default: fail(ErrorCode::kInvalidArgument, "expected an integer tensor, got ", dtype_name(t.dtype()));
  }
  return v;
}

void half_to_float(const Tensor& src, float* dst) {
  if (src.dtype() == DType::kFloat16)
    kernels::half_to_float(src.data_as<uint16_t>(), dst, src.numel());
  else
    kernels::bf16_to_float(src.data_as<uint16_t>(), dst, src.numel());
}

void float_to_half(const float* src, Tensor& dst) {
  if (dst.dtype() == DType::kFloat16)
    kernels::float_to_half(src, dst.data_as<uint16_t>(), dst.numel());
  else
    kernels::float_to_bf16(src, dst.data_as<uint16_t>(), dst.numel());
}

Tensor half_to_float(const Tensor& src) {
  Tensor f(DType::kFloat, src.shape());
  half_to_float(src, f.data_as<float>());
  return f;
}

std::vector<float> read_floats(const Tensor& t) {
  std::vector<float> v(static_cast<size_t>(t.numel()));
  if (v.empty()) return v;
  switch (t.dtype()) {
    case DType::kFloat: std::memcpy(v.data(), t.data(), v.size() * 4); break;
    case DType::kDouble:
      for (size_t i = 0; i < v.size(); ++i) v[i] = static_cast<float>(t.data_as<double>()[i]);
      break;
    case DType::kFloat16:
    case DType::kBFloat16: half_to_float(t, v.data()); break;
    case DType::kFloat8E4M3FN:
    case DType::kFloat8E4M3FNUZ:
    case DType::kFloat8E5M2:
    case DType::kFloat8E5M2FNUZ:
    case DType::kFloat4E2M1:
    case DType::kFloat6E2M3:
    case DType::kFloat6E3M2:
    case DType::kFloat8E8M0: {
      namespace lp = kernels::lowp;
      const auto* p = t.data_as<uint8_t>();
      float (*value)(uint8_t) = t.dtype() == DType::kFloat8E4M3FN     ? &lp::to_float<lp::E4M3FN>
                                : t.dtype() == DType::kFloat8E4M3FNUZ ? &lp::to_float<lp::E4M3FNUZ>
                                : t.dtype() == DType::kFloat8E5M2     ? &lp::to_float<lp::E5M2>
                                : t.dtype() == DType::kFloat8E5M2FNUZ ? &lp::to_float<lp::E5M2FNUZ>
                                : t.dtype() == DType::kFloat4E2M1     ? &lp::to_float<lp::E2M1>
                                : t.dtype() == DType::kFloat6E2M3     ? &lp::to_float<lp::E2M3>
                                : t.dtype() == DType::kFloat6E3M2     ? &lp::to_float<lp::E3M2>
                                                                      : &lp::e8m0_to_float;
      for (size_t i = 0; i < v.size(); ++i) v[i] = value(p[i]);
      break;
    }
    default: {
      const auto ints = read_ints(t);
      for (size_t i = 0; i < v.size(); ++i) v[i] = static_cast<float>(ints[i]);
    }
  }
  return v;
}

Dim dim_product(const Shape& s, size_t begin, size_t end) {
  int64_t p = 1;
  for (size_t i = begin; i < end && i < s.size(); ++i) {
    if (!s[i].known()) return Dim();
    p *= s[i].value;
  }
  return Dim(p);
}

const Tensor* constant_input(const BuildContext& ctx, size_t slot) {
  const graph::Node& n = ctx.node;
  if (slot >= n.inputs.size() || n.inputs[slot] < 0) return nullptr;
  const graph::Value& v = ctx.graph.values[n.inputs[slot]];
  return v.initializer && !v.is_input ? &*v.initializer : nullptr;
}

}  // namespace ortl::opset
