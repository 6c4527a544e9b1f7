#include "opset/tensor/tensor_util.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "kernels/eltwise/lowp.h"

namespace ortl::opset {

namespace {
// double -> integer without the undefined behaviour of an out-of-range cast: saturates, NaN -> 0.
template <class T>
T saturate(double v) {
  if (!(v == v)) return T{0};
  if (v <= static_cast<double>(std::numeric_limits<T>::min())) return std::numeric_limits<T>::min();
  if (v >= static_cast<double>(std::numeric_limits<T>::max())) return std::numeric_limits<T>::max();
  return static_cast<T>(v);
}
}  // namespace

void check_index_input(const InferContext& ctx, int i, const char* op, const char* name) {
  const DType dt = ctx.input_dtype(i);
  check(dt == DType::kUndefined || is_index_dtype(dt), ErrorCode::kInvalidArgument, op, ": input '", name,
        "' must be int32 or int64, got ", dtype_name(dt));
}

bool known_ints(const InferContext& ctx, int i, std::vector<int64_t>& out) {
  const Tensor* v = ctx.input_value(i);
  if (!v) return false;
  out = ints_of(*v);
  return true;
}

std::vector<int64_t> input_ints(const RunContext& ctx, int i, std::vector<int64_t> def) {
  const Tensor* t = ctx.input(i);
  return t ? ints_of(*t) : def;
}

std::vector<int64_t> to_int64s(const Tensor& t) {
  std::vector<int64_t> v(static_cast<size_t>(t.numel()));
  switch (t.dtype()) {
    case DType::kDouble:
      for (size_t i = 0; i < v.size(); ++i) v[i] = saturate<int64_t>(t.data_as<double>()[i]);
      return v;
    case DType::kFloat:
    case DType::kFloat16:
    case DType::kBFloat16: {
      const std::vector<float> f = floats_of(t);
      for (size_t i = 0; i < v.size(); ++i) v[i] = saturate<int64_t>(f[i]);
      return v;
    }
    default: return ints_of(t);
  }
}

int64_t scalar_int(const Tensor& t, const char* op, const char* name) {
  check(t.numel() == 1, ErrorCode::kInvalidArgument, op, ": input '", name, "' must hold one value, got shape ",
        shape_str(t.shape()));
  return to_int64s(t)[0];
}

Shape fresh_dims(InferContext& ctx, int64_t rank) {
  Shape s;
  for (int64_t i = 0; i < rank; ++i) s.push_back(ctx.fresh_dim());
  return s;
}

Dim product_dim(InferContext& ctx, const Shape& s, size_t b, size_t e) {
  int64_t p = 1;
  int unknown = -1, n_unknown = 0;
  for (size_t i = b; i < e; ++i) {
    if (s[i].known()) {
      p *= s[i].value;
    } else {
      unknown = static_cast<int>(i);
      ++n_unknown;
    }
  }
  if (n_unknown == 0) return Dim(p);
  if (p == 0) return Dim(0);
  if (n_unknown == 1 && p == 1) return s[unknown];
  return ctx.fresh_dim();
}

int64_t mul_dims(int64_t a, int64_t b, const char* op) {
  int64_t r;
  check(!__builtin_mul_overflow(a, b, &r), ErrorCode::kInvalidArgument, op, ": dimension ", a, " * ", b, " overflows");
  return r;
}

int64_t add_dims(int64_t a, int64_t b, const char* op) {
  int64_t r;
  check(!__builtin_add_overflow(a, b, &r), ErrorCode::kInvalidArgument, op, ": dimension ", a, " + ", b, " overflows");
  return r;
}

std::vector<int64_t> normalize_axes(std::vector<int64_t> axes, int64_t rank, const char* op) {
  for (int64_t& a : axes) {
    check(a >= -rank && a < rank, ErrorCode::kInvalidArgument, op, ": axis ", a, " is out of range for rank ", rank);
    if (a < 0) a += rank;
  }
  std::vector<int64_t> sorted = axes;
  std::sort(sorted.begin(), sorted.end());
  check(std::adjacent_find(sorted.begin(), sorted.end()) == sorted.end(), ErrorCode::kInvalidArgument, op,
        ": axes contain a duplicate");
  return axes;
}

uint16_t float_to_half_bits(float f) {
  uint32_t x;
  std::memcpy(&x, &f, 4);
  const uint32_t sign = (x >> 16) & 0x8000u;
  const uint32_t absx = x & 0x7fffffffu;
  if (absx >= 0x7f800000u) return static_cast<uint16_t>(sign | 0x7c00u | (absx > 0x7f800000u ? 0x200u : 0u));
  if (absx >= 0x477ff000u) return static_cast<uint16_t>(sign | 0x7c00u);  // rounds past 65504: inf
  if (absx < 0x38800000u) {  // subnormal half (or zero): scale by 2^24 and round
    float a;
    std::memcpy(&a, &absx, 4);
    return static_cast<uint16_t>(sign | static_cast<uint32_t>(std::nearbyint(a * 16777216.0f)));
  }
  const uint32_t mant_odd = (absx >> 13) & 1u;
  const uint32_t rounded = absx + 0xfffu + mant_odd;  // round to nearest even on the 13 dropped bits
  return static_cast<uint16_t>(sign | ((rounded - (112u << 23)) >> 13));
}

uint16_t float_to_bf16_bits(float f) {
  uint32_t x;
  std::memcpy(&x, &f, 4);
  if ((x & 0x7fffffffu) > 0x7f800000u) return static_cast<uint16_t>((x >> 16) | 0x40u);  // quiet NaN
  return static_cast<uint16_t>((x + 0x7fffu + ((x >> 16) & 1u)) >> 16);
}

uint64_t value_bits(double v, DType dt) {
  namespace lowp = kernels::lowp;
  uint64_t bits = 0;
  auto put = [&](auto x) { std::memcpy(&bits, &x, sizeof(x)); };
  switch (dt) {
    case DType::kFloat: put(static_cast<float>(v)); break;
    case DType::kDouble: put(v); break;
    case DType::kFloat16: put(float_to_half_bits(static_cast<float>(v))); break;
    case DType::kBFloat16: put(float_to_bf16_bits(static_cast<float>(v))); break;
    case DType::kBool: put(static_cast<uint8_t>(v != 0)); break;
    case DType::kInt8: put(saturate<int8_t>(v)); break;
    case DType::kUInt8: put(saturate<uint8_t>(v)); break;
    case DType::kInt16: put(saturate<int16_t>(v)); break;
    case DType::kUInt16: put(saturate<uint16_t>(v)); break;
    case DType::kInt32: put(saturate<int32_t>(v)); break;
    case DType::kUInt32: put(saturate<uint32_t>(v)); break;
    case DType::kInt64: put(saturate<int64_t>(v)); break;
    case DType::kUInt64: put(saturate<uint64_t>(v)); break;
    // Low-precision types (one byte each, kernels/eltwise/lowp.h): nearest code, saturating.
    case DType::kFloat8E4M3FN: put(lowp::from_double<lowp::E4M3FN>(v)); break;
    case DType::kFloat8E4M3FNUZ: put(lowp::from_double<lowp::E4M3FNUZ>(v)); break;
    case DType::kFloat8E5M2: put(lowp::from_double<lowp::E5M2>(v)); break;
    case DType::kFloat8E5M2FNUZ: put(lowp::from_double<lowp::E5M2FNUZ>(v)); break;
    case DType::kFloat4E2M1: put(lowp::from_double<lowp::E2M1>(v)); break;
    case DType::kFloat6E2M3: put(lowp::from_double<lowp::E2M3>(v)); break;
    case DType::kFloat6E3M2: put(lowp::from_double<lowp::E3M2>(v)); break;
    case DType::kFloat8E8M0: put(lowp::e8m0_from_float(static_cast<float>(v))); break;
    case DType::kInt4: put(lowp::saturate<lowp::Int4>(saturate<int64_t>(v))); break;
    case DType::kUInt4: put(lowp::saturate<lowp::UInt4>(saturate<int64_t>(v))); break;
    case DType::kInt2: put(lowp::saturate<lowp::Int2>(saturate<int64_t>(v))); break;
    case DType::kUInt2: put(lowp::saturate<lowp::UInt2>(saturate<int64_t>(v))); break;
    default: fail(ErrorCode::kNotImplemented, "cannot make a ", dtype_name(dt), " constant");
  }
  return bits;
}

}  // namespace ortl::opset
