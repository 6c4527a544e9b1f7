// Cast and CastLike between all numeric types, bool, float16, bfloat16 and string.
// Numbers print as the shortest text that reads back to the same value (Python's repr style:
// "1.0", "0.1", "nan", "inf"); strings parse with strtod/strtoll, as ONNX Runtime does.
// `saturate` only concerns float8 types, which ort-lite does not have: the attribute is accepted
// and ignored. Opsets 1-5 name the target type with a string ("FLOAT").
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <limits>

#include "kernels/eltwise/eltwise.h"
#include "opset/math/eltwise_util.h"
#include "opset/math/math.h"

namespace ortl::opset {
namespace {

using namespace eltwise;

DType dtype_from_name(const std::string& s) {
  static const std::pair<const char*, DType> kNames[] = {
      {"FLOAT", DType::kFloat},   {"UINT8", DType::kUInt8},      {"INT8", DType::kInt8},     {"UINT16", DType::kUInt16},
      {"INT16", DType::kInt16},   {"INT32", DType::kInt32},      {"INT64", DType::kInt64},   {"STRING", DType::kString},
      {"BOOL", DType::kBool},     {"FLOAT16", DType::kFloat16},  {"DOUBLE", DType::kDouble}, {"UINT32", DType::kUInt32},
      {"UINT64", DType::kUInt64}, {"BFLOAT16", DType::kBFloat16}};
  for (const auto& [name, t] : kNames)
    if (s == name) return t;
  fail(ErrorCode::kNotImplemented, "Cast: target type '", s, "' is not supported");
}

DType checked_dtype(int64_t code) {
  const DType t = static_cast<DType>(code);
  check(code > 0 && dtype_size(t) != 0, ErrorCode::kNotImplemented, "Cast: target type ", code,
        " (ONNX TensorProto.DataType) is not supported (float8, float4, int4 and int2 types are not)");
  return t;
}

template <class T>
std::string number_to_string(T v) {
  if constexpr (std::is_floating_point_v<T>) {
    if (v != v) return "nan";
    if (v == std::numeric_limits<T>::infinity()) return "inf";
    if (v == -std::numeric_limits<T>::infinity()) return "-inf";
  }
  char buf[64];
  const auto res = std::to_chars(buf, buf + sizeof(buf), v);
  std::string s(buf, res.ptr);
  if constexpr (std::is_floating_point_v<T>) {
    if (s.find_first_of(".e") == std::string::npos) s += ".0";
  }
  return s;
}

Tensor to_strings(const Tensor& t, kernels::Parallel& par) {
  Tensor out(DType::kString, t.shape());
  auto* d = out.data_as<std::string>();
  const int64_t n = t.numel();
  if (t.dtype() == DType::kBool) {
    for (int64_t i = 0; i < n; ++i) d[i].assign(1, t.data_as<uint8_t>()[i] ? '1' : '0');
    return out;
  }
  // 16-bit floats print through float.
  const Tensor src = is_half_type(t.dtype()) ? to_float(t) : t;
  dispatch_numeric(src.dtype(), "Cast", [&](auto v) {
    using T = decltype(v);
    const T* s = src.data_as<T>();
    par.for_range(n, 100.0, [&](int64_t b, int64_t e) {
      for (int64_t i = b; i < e; ++i) d[i] = number_to_string(s[i]);
    });
  });
  return out;
}

Tensor from_strings(const Tensor& t, DType to, kernels::Parallel& par) {
  const int64_t n = t.numel();
  const auto* s = t.data_as<std::string>();
  if (to == DType::kString) return t.clone();
  if (is_integer_type(to)) {
    Tensor i64(DType::kInt64, t.shape());
    for (int64_t i = 0; i < n; ++i) i64.data_as<int64_t>()[i] = std::strtoll(s[i].c_str(), nullptr, 10);
    return convert(i64, to, par);
  }
  if (to == DType::kFloat) {
    Tensor f(DType::kFloat, t.shape());
    for (int64_t i = 0; i < n; ++i) f.data_as<float>()[i] = std::strtof(s[i].c_str(), nullptr);
    return f;
  }
  Tensor d(DType::kDouble, t.shape());
  for (int64_t i = 0; i < n; ++i) d.data_as<double>()[i] = std::strtod(s[i].c_str(), nullptr);
  return convert(d, to, par);
}

class Cast final : public OpKernel {
 public:
  // to == kUndefined: CastLike (the target is input 1's type).
  explicit Cast(DType to) : to_(to) {}

  void infer(InferContext& ctx) const override {
    const DType to = target(ctx.input_dtype(1));
    const DType from = ctx.input_dtype(0);
    check(from == DType::kString || dtype_size(from) != 0, ErrorCode::kNotImplemented,
          "Cast: the source type is not supported (float8, float4, int4 and int2 types are not)");
    const TypeInfo& x = ctx.input_type(0);
    ctx.set_output(0, TypeInfo{to, x.has_shape, x.shape});
  }

  void run(RunContext& ctx) const override {
    const Tensor& x = *ctx.input(0);
    const DType to = target(ctx.num_inputs() > 1 && ctx.input(1) ? ctx.input(1)->dtype() : DType::kUndefined);
    Tensor& y = ctx.output(0, x.shape());
    kernels::Parallel& par = ctx.par();
    if (x.dtype() == DType::kString || to == DType::kString) {
      const Tensor r = x.dtype() == DType::kString ? from_strings(x, to, par) : to_strings(x, par);
      if (to == DType::kString) {
        for (int64_t i = 0; i < r.numel(); ++i) y.data_as<std::string>()[i] = r.data_as<std::string>()[i];
      } else {
        std::memcpy(y.data(), r.data(), r.nbytes());
      }
      return;
    }
    dispatch_storage(x.dtype(), "Cast", [&](auto s) {
      using S = decltype(s);
      dispatch_storage(to, "Cast", [&](auto d) {
        using D = decltype(d);
        kernels::cast<S, D>(static_cast<const S*>(x.data()), static_cast<D*>(y.data()), x.numel(), par);
      });
    });
  }

  std::vector<std::pair<int, int>> inplace() const override { return {{0, 0}}; }
  std::string kernel_name() const override { return "eltwise_cast"; }

 private:
  DType target(DType like) const {
    if (to_ != DType::kUndefined) return to_;
    check(like != DType::kUndefined, ErrorCode::kInvalidModel, "CastLike: target_type input is missing");
    return like;
  }
  DType to_;
};

}  // namespace

std::unique_ptr<OpKernel> build_cast(const BuildContext& c) {
  const graph::Attribute* a = c.node.attr("to");
  check(a != nullptr, ErrorCode::kInvalidModel, "Cast: attribute 'to' is required");
  const DType to = a->type == graph::AttrType::kString ? dtype_from_name(a->s) : checked_dtype(a->i);
  return std::make_unique<Cast>(to);
}

std::unique_ptr<OpKernel> build_cast_like(const BuildContext&) { return std::make_unique<Cast>(DType::kUndefined); }

}  // namespace ortl::opset
