// Cast and CastLike between all numeric types, bool, float16, bfloat16, the low-precision types
// (float8 flavours, float8e8m0, float4e2m1, float6e2m3/e3m2, int4/uint4/int2/uint2) and string.
// Numbers print as the shortest text that reads back to the same value (Python's repr style:
// "1.0", "0.1", "nan", "inf"); strings parse with strtod/strtoll, as ONNX Runtime does.
// `saturate` (19+) concerns float8 and float8e8m0 targets, `round_mode` (24+) float8e8m0 ones
// (numerics in kernels/eltwise/lowp.h). 4- and 2-bit integers cast as int8 / uint8 and then keep
// their low bits, as any narrowing integer cast does. Opsets 1-5 name the target type with a
// string ("FLOAT").
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <limits>

#include "kernels/eltwise/eltwise.h"
#include "kernels/eltwise/lowp.h"
#include "opset/math/eltwise_util.h"
#include "opset/math/math.h"

namespace ortl::opset {
namespace {

using namespace eltwise;

DType dtype_from_name(const std::string& s) {
  static const std::pair<const char*, DType> kNames[] = {{"FLOAT", DType::kFloat},
                                                         {"UINT8", DType::kUInt8},
                                                         {"INT8", DType::kInt8},
                                                         {"UINT16", DType::kUInt16},
                                                         {"INT16", DType::kInt16},
                                                         {"INT32", DType::kInt32},
                                                         {"INT64", DType::kInt64},
                                                         {"STRING", DType::kString},
                                                         {"BOOL", DType::kBool},
                                                         {"FLOAT16", DType::kFloat16},
                                                         {"DOUBLE", DType::kDouble},
                                                         {"UINT32", DType::kUInt32},
                                                         {"UINT64", DType::kUInt64},
                                                         {"BFLOAT16", DType::kBFloat16},
                                                         {"FLOAT8E4M3FN", DType::kFloat8E4M3FN},
                                                         {"FLOAT8E4M3FNUZ", DType::kFloat8E4M3FNUZ},
                                                         {"FLOAT8E5M2", DType::kFloat8E5M2},
                                                         {"FLOAT8E5M2FNUZ", DType::kFloat8E5M2FNUZ},
                                                         {"UINT4", DType::kUInt4},
                                                         {"INT4", DType::kInt4},
                                                         {"FLOAT4E2M1", DType::kFloat4E2M1},
                                                         {"FLOAT8E8M0", DType::kFloat8E8M0},
                                                         {"UINT2", DType::kUInt2},
                                                         {"INT2", DType::kInt2},
                                                         {"FLOAT6E2M3", DType::kFloat6E2M3},
                                                         {"FLOAT6E3M2", DType::kFloat6E3M2}};
  for (const auto& [name, t] : kNames)
    if (s == name) return t;
  fail(ErrorCode::kNotImplemented, "Cast: target type '", s, "' is not supported");
}

DType checked_dtype(int64_t code) {
  const DType t = static_cast<DType>(code);
  if (code <= 0 || code > 64 || (t != DType::kString && dtype_size(t) == 0))
    fail(ErrorCode::kNotImplemented, "Cast: target type ", code,
         " (ONNX TensorProto.DataType) is not supported (complex types are not)");
  return t;
}

bool is_small_int(DType t) {
  return t == DType::kInt4 || t == DType::kUInt4 || t == DType::kInt2 || t == DType::kUInt2;
}

// The storage a 4- or 2-bit integer is cast through: int8 or uint8 (same bytes, same values).
DType small_int_carrier(DType t) { return t == DType::kInt4 || t == DType::kInt2 ? DType::kInt8 : DType::kUInt8; }

// Calls fn(T{}) with the cast kernel's storage type of dt (eltwise dispatch_storage plus the
// minifloat tags of lowp.h).
template <class F>
void dispatch_cast(DType dt, F&& fn) {
  namespace lp = kernels::lowp;
  switch (dt) {
    case DType::kFloat8E4M3FN: fn(lp::Code<lp::E4M3FN>{}); break;
    case DType::kFloat8E4M3FNUZ: fn(lp::Code<lp::E4M3FNUZ>{}); break;
    case DType::kFloat8E5M2: fn(lp::Code<lp::E5M2>{}); break;
    case DType::kFloat8E5M2FNUZ: fn(lp::Code<lp::E5M2FNUZ>{}); break;
    case DType::kFloat4E2M1: fn(lp::Code<lp::E2M1>{}); break;
    case DType::kFloat8E8M0: fn(lp::E8M0Code{}); break;
    case DType::kFloat6E2M3: fn(lp::Code<lp::E2M3>{}); break;
    case DType::kFloat6E3M2: fn(lp::Code<lp::E3M2>{}); break;
    default: dispatch_storage(dt, "Cast", std::forward<F>(fn));
  }
}

// Re-wraps the int8 / uint8 results of a cast into a 4- or 2-bit type's range, in place.
void wrap_small_ints(DType t, uint8_t* p, int64_t n) {
  namespace lp = kernels::lowp;
  const auto run = [&](auto tag) {
    using I = decltype(tag);
    for (int64_t i = 0; i < n; ++i) p[i] = lp::wrap<I>(static_cast<int8_t>(p[i]));
  };
  switch (t) {
    case DType::kInt4: run(lp::Int4{}); break;
    case DType::kUInt4: run(lp::UInt4{}); break;
    case DType::kInt2: run(lp::Int2{}); break;
    default: run(lp::UInt2{}); break;
  }
}

// Casts x's elements into dst (same element count, dst's dtype is the target); x, dst != string.
void cast_numbers(const Tensor& x, Tensor& dst, const kernels::CastParams& prm, kernels::Parallel& par) {
  const DType from = is_small_int(x.dtype()) ? small_int_carrier(x.dtype()) : x.dtype();
  const DType to = is_small_int(dst.dtype()) ? small_int_carrier(dst.dtype()) : dst.dtype();
  dispatch_cast(from, [&](auto s) {
    using S = decltype(s);
    dispatch_cast(to, [&](auto d) {
      using D = decltype(d);
      kernels::cast<S, D>(static_cast<const S*>(x.data()), static_cast<D*>(dst.data()), x.numel(), par, prm);
    });
  });
  if (is_small_int(dst.dtype())) wrap_small_ints(dst.dtype(), dst.data_as<uint8_t>(), dst.numel());
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
  // 16-bit and smaller floats print through float, small integers through int8 / uint8.
  Tensor src = t;
  if (is_small_int(t.dtype())) {
    src = Tensor::view(small_int_carrier(t.dtype()), t.shape(), const_cast<void*>(t.data()));
  } else if (is_half_type(t.dtype()) || is_lowp_dtype(t.dtype())) {
    src = Tensor(DType::kFloat, t.shape());
    cast_numbers(t, src, {}, par);
  }
  dispatch_numeric(src.dtype(), "Cast", [&](auto v) {
    using T = decltype(v);
    const T* s = src.data_as<T>();
    par.for_range(n, 100.0, [&](int64_t b, int64_t e) {
      for (int64_t i = b; i < e; ++i) d[i] = number_to_string(s[i]);
    });
  });
  return out;
}

// Parses strings into dst (any non-string type).
void from_strings(const Tensor& t, Tensor& dst, const kernels::CastParams& prm, kernels::Parallel& par) {
  const int64_t n = t.numel();
  const auto* s = t.data_as<std::string>();
  const bool ints = is_integer_type(dst.dtype()) || is_small_int(dst.dtype());
  Tensor parsed(ints ? DType::kInt64 : DType::kDouble, t.shape());
  for (int64_t i = 0; i < n; ++i) {
    if (ints)
      parsed.data_as<int64_t>()[i] = std::strtoll(s[i].c_str(), nullptr, 10);
    else
      parsed.data_as<double>()[i] = std::strtod(s[i].c_str(), nullptr);
  }
  if (dst.dtype() == DType::kFloat) {  // float parses directly: strtof rounds once
    for (int64_t i = 0; i < n; ++i) dst.data_as<float>()[i] = std::strtof(s[i].c_str(), nullptr);
    return;
  }
  cast_numbers(parsed, dst, prm, par);
}

class Cast final : public OpKernel {
 public:
  // to == kUndefined: CastLike (the target is input 1's type).
  Cast(DType to, kernels::CastParams prm) : to_(to), prm_(prm) {}

  void infer(InferContext& ctx) const override {
    const DType to = target(ctx.input_dtype(1));
    const DType from = ctx.input_dtype(0);
    for (DType t : {from, to})
      check(t == DType::kString || dtype_size(t) != 0, ErrorCode::kNotImplemented, "Cast: type ", static_cast<int>(t),
            " is not supported (complex types are not)");
    const TypeInfo& x = ctx.input_type(0);
    ctx.set_output(0, TypeInfo{to, x.has_shape, x.shape});
  }

  void run(RunContext& ctx) const override {
    const Tensor& x = *ctx.input(0);
    const DType to = target(ctx.num_inputs() > 1 && ctx.input(1) ? ctx.input(1)->dtype() : DType::kUndefined);
    Tensor& y = ctx.output(0, x.shape());
    kernels::Parallel& par = ctx.par();
    if (x.dtype() == DType::kString && to == DType::kString) {
      for (int64_t i = 0; i < x.numel(); ++i) y.data_as<std::string>()[i] = x.data_as<std::string>()[i];
    } else if (to == DType::kString) {
      const Tensor r = to_strings(x, par);
      for (int64_t i = 0; i < r.numel(); ++i) y.data_as<std::string>()[i] = r.data_as<std::string>()[i];
    } else if (x.dtype() == DType::kString) {
      from_strings(x, y, prm_, par);
    } else {
      cast_numbers(x, y, prm_, par);
    }
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
  kernels::CastParams prm_;
};

// `saturate` (19+) and `round_mode` (24+); earlier versions always saturate and round up.
kernels::CastParams cast_params(const BuildContext& c, const char* op) {
  kernels::CastParams prm;
  if (c.opset >= 19) {
    if (const graph::Attribute* a = c.node.attr("saturate")) prm.saturate = a->i != 0;
  }
  if (c.opset >= 24) {
    if (const graph::Attribute* a = c.node.attr("round_mode")) {
      if (a->s == "up")
        prm.e8m0_round = kernels::lowp::E8M0Round::kUp;
      else if (a->s == "down")
        prm.e8m0_round = kernels::lowp::E8M0Round::kDown;
      else if (a->s == "nearest")
        prm.e8m0_round = kernels::lowp::E8M0Round::kNearest;
      else
        fail(ErrorCode::kInvalidArgument, op, ": round_mode '", a->s, "' is not one of up, down, nearest");
    }
  }
  return prm;
}

}  // namespace

std::unique_ptr<OpKernel> build_cast(const BuildContext& c) {
  const graph::Attribute* a = c.node.attr("to");
  check(a != nullptr, ErrorCode::kInvalidModel, "Cast: attribute 'to' is required");
  const DType to = a->type == graph::AttrType::kString ? dtype_from_name(a->s) : checked_dtype(a->i);
  return std::make_unique<Cast>(to, cast_params(c, "Cast"));
}

std::unique_ptr<OpKernel> build_cast_like(const BuildContext& c) {
  return std::make_unique<Cast>(DType::kUndefined, cast_params(c, "CastLike"));
}

}  // namespace ortl::opset
