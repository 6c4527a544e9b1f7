// Broadcasting binary ops: arithmetic, Pow, Mod, BitShift, comparisons, logical and bitwise ops.
// Opsets before 7 broadcast B onto A only, when broadcast=1, optionally aligned at `axis`; that
// is mapped onto numpy broadcasting by padding B's shape with trailing 1s.
#include <string>

#include "kernels/eltwise/eltwise.h"
#include "opset/math/eltwise_util.h"
#include "opset/math/math.h"

namespace ortl::opset {
namespace {

using kernels::BinaryOp;
using namespace eltwise;

enum class Kind { kArith, kCompare, kLogical, kBitwise };

class Binary final : public OpKernel {
 public:
  Binary(BinaryOp op, Kind kind, const char* name, const BuildContext& ctx) : op_(op), kind_(kind), name_(name) {
    const graph::Node& n = ctx.node;
    // Pow was the last of these to move to numpy broadcasting, all at opset 7.
    legacy_ = ctx.opset < 7;
    if (legacy_) {
      legacy_broadcast_ = n.get_int("broadcast", 0) != 0;
      has_axis_ = n.has("axis");
      axis_ = n.get_int("axis", 0);
    }
  }

  void infer(InferContext& ctx) const override {
    const DType ta = ctx.input_dtype(0), tb = ctx.input_dtype(1);
    if (op_ != BinaryOp::kPow) check_same_dtype(ctx, {0, 1}, name_);
    check_types(ta);
    if (op_ == BinaryOp::kPow)
      check(tb != DType::kBool && tb != DType::kString, ErrorCode::kInvalidArgument, name_, ": exponent dtype ",
            dtype_name(tb), " is not numeric");
    const DType out = kind_ == Kind::kCompare || kind_ == Kind::kLogical ? DType::kBool : ta;
    if (!legacy_) {
      ctx.set_output(0, broadcast_type(ctx, {0, 1}, out));
      return;
    }
    // Legacy: the output is A's shape; B must match it (broadcast=0) or broadcast onto it.
    const TypeInfo& a = ctx.input_type(0);
    const TypeInfo& b = ctx.input_type(1);
    if (a.has_shape && b.has_shape && graph::all_known(a.shape) && graph::all_known(b.shape)) {
      const auto bs = legacy_b_shape(graph::to_concrete(a.shape), graph::to_concrete(b.shape));
      check(kernels::broadcasts_to(bs, graph::to_concrete(a.shape)), ErrorCode::kInvalidArgument, name_,
            ": B of shape ", shape_str(graph::to_concrete(b.shape)), " does not broadcast onto A of shape ",
            shape_str(graph::to_concrete(a.shape)));
    }
    ctx.set_output(0, TypeInfo{out, a.has_shape, a.shape});
  }

  void run(RunContext& ctx) const override {
    const Tensor& a = *ctx.input(0);
    Tensor b = *ctx.input(1);
    std::vector<int64_t> out_shape;
    if (legacy_) {
      b = b.reshaped(legacy_b_shape(a.shape(), b.shape()));
      out_shape = a.shape();
    } else {
      out_shape = broadcast_of({&a, &b});
    }
    Tensor& out = ctx.output(0, out_shape);
    const auto plan = make_plan(out, {&a, &b});
    kernels::Parallel& par = ctx.par();
    if (op_ == BinaryOp::kPow) return run_pow(plan, a, b, out, par);
    if (is_half_type(a.dtype())) {
      const Tensor af = to_float(a), bf = to_float(b);
      if (out.dtype() == DType::kBool) {
        kernels::binary<float>(op_, plan, af.data_as<float>(), bf.data_as<float>(), out.data(), par);
      } else {
        Tensor of(DType::kFloat, out.shape());
        kernels::binary<float>(op_, plan, af.data_as<float>(), bf.data_as<float>(), of.data(), par);
        store_float(of, out);
      }
      return;
    }
    if (a.dtype() == DType::kString) return run_string_equal(plan, a, b, out, par);
    const DType t = a.dtype() == DType::kBool ? DType::kUInt8 : a.dtype();
    dispatch_numeric(t, name_, [&](auto v) {
      using T = decltype(v);
      kernels::binary<T>(op_, plan, a.data_as<T>(), b.data_as<T>(), out.data(), par);
    });
  }

  std::vector<std::pair<int, int>> inplace() const override { return {{0, 0}, {0, 1}}; }
  std::string kernel_name() const override { return "eltwise_binary"; }

 private:
  void check_types(DType t) const {
    bool ok = false;
    switch (kind_) {
      case Kind::kArith: ok = is_float_type(t) || is_integer_type(t); break;
      case Kind::kCompare:
        ok = is_float_type(t) || is_integer_type(t) || t == DType::kBool ||
             (op_ == BinaryOp::kEqual && t == DType::kString);
        break;
      case Kind::kLogical: ok = t == DType::kBool; break;
      case Kind::kBitwise: ok = is_integer_type(t); break;
    }
    if (!ok) fail(ErrorCode::kNotImplemented, name_, ": dtype ", dtype_name(t), " is not supported");
  }

  // B's shape under the pre-7 rules, as a numpy-broadcastable shape against A.
  std::vector<int64_t> legacy_b_shape(const std::vector<int64_t>& a, const std::vector<int64_t>& b) const {
    if (!legacy_broadcast_) {
      check(a == b, ErrorCode::kInvalidArgument, name_, ": shapes ", shape_str(a), " and ", shape_str(b),
            " differ and broadcast=0");
      return b;
    }
    if (!has_axis_) return b;  // suffix matching is numpy's rule already
    const int64_t ra = static_cast<int64_t>(a.size()), rb = static_cast<int64_t>(b.size());
    const int64_t axis = axis_ < 0 ? axis_ + ra : axis_;
    check(axis >= 0 && axis + rb <= ra, ErrorCode::kInvalidArgument, name_, ": axis ", axis_,
          " does not fit B of rank ", rb, " into A of rank ", ra);
    std::vector<int64_t> s = b;
    s.resize(static_cast<size_t>(ra - axis), 1);
    return s;
  }

  // Pow: base and exponent types may differ; the output has the base's type.
  void run_pow(const kernels::BroadcastPlan& plan, const Tensor& a, const Tensor& b, Tensor& out,
               kernels::Parallel& par) const {
    const bool half = is_half_type(a.dtype());
    const Tensor base = half ? to_float(a) : a;
    Tensor dst = half ? Tensor(DType::kFloat, out.shape()) : out;
    const DType tb = is_half_type(b.dtype()) ? DType::kFloat : b.dtype();
    const Tensor ex = is_half_type(b.dtype()) ? to_float(b) : b;
    if (tb == base.dtype()) {
      dispatch_numeric(tb, name_, [&](auto v) {
        using T = decltype(v);
        if (std::is_floating_point_v<T> && ex.numel() == 1 && ex.data_as<T>()[0] == T(2)) {
          // x ^ 2 (variance in decomposed norms) as x * x: no libm call.
          const auto sq = kernels::make_broadcast_plan(dst.shape(), {base.shape(), base.shape()});
          kernels::binary<T>(BinaryOp::kMul, sq, base.data_as<T>(), base.data_as<T>(), dst.data(), par);
        } else {
          kernels::binary<T>(BinaryOp::kPow, plan, base.data_as<T>(), ex.data_as<T>(), dst.data(), par);
        }
      });
    } else {
      const Tensor exd = convert(ex, DType::kDouble, par);
      dispatch_numeric(base.dtype(), name_, [&](auto v) {
        using T = decltype(v);
        kernels::pow_mixed<T>(plan, base.data_as<T>(), exd.data_as<double>(), dst.data_as<T>(), par);
      });
    }
    if (half) store_float(dst, out);
  }

  static void run_string_equal(const kernels::BroadcastPlan& plan, const Tensor& a, const Tensor& b, Tensor& out,
                               kernels::Parallel& par) {
    const auto* x = a.data_as<std::string>();
    const auto* y = b.data_as<std::string>();
    auto* d = out.data_as<uint8_t>();
    const int64_t sa = plan.inner_stride(0), sb = plan.inner_stride(1);
    kernels::parallel_runs(plan, par, 5.0, [&](int64_t o, const int64_t* in, int64_t n) {
      for (int64_t i = 0; i < n; ++i) d[o + i] = x[in[0] + i * sa] == y[in[1] + i * sb] ? 1 : 0;
    });
  }

  BinaryOp op_;
  Kind kind_;
  const char* name_;
  bool legacy_ = false;
  bool legacy_broadcast_ = false;
  bool has_axis_ = false;
  int64_t axis_ = 0;
};

template <BinaryOp kOp, Kind kKind>
std::unique_ptr<OpKernel> make(const char* name, const BuildContext& ctx) {
  return std::make_unique<Binary>(kOp, kKind, name, ctx);
}

}  // namespace

std::unique_ptr<OpKernel> build_add(const BuildContext& c) { return make<BinaryOp::kAdd, Kind::kArith>("Add", c); }
std::unique_ptr<OpKernel> build_sub(const BuildContext& c) { return make<BinaryOp::kSub, Kind::kArith>("Sub", c); }
std::unique_ptr<OpKernel> build_mul(const BuildContext& c) { return make<BinaryOp::kMul, Kind::kArith>("Mul", c); }
std::unique_ptr<OpKernel> build_div(const BuildContext& c) { return make<BinaryOp::kDiv, Kind::kArith>("Div", c); }
std::unique_ptr<OpKernel> build_pow(const BuildContext& c) { return make<BinaryOp::kPow, Kind::kArith>("Pow", c); }
std::unique_ptr<OpKernel> build_mod(const BuildContext& c) {
  const int64_t fmod = c.node.get_int("fmod", 0);
  check(fmod == 0 || fmod == 1, ErrorCode::kInvalidModel, "Mod: fmod must be 0 or 1, got ", fmod);
  return fmod ? make<BinaryOp::kFMod, Kind::kArith>("Mod", c) : make<BinaryOp::kMod, Kind::kArith>("Mod", c);
}
std::unique_ptr<OpKernel> build_bitshift(const BuildContext& c) {
  const std::string dir = c.node.get_string("direction", "");
  if (dir == "LEFT") return make<BinaryOp::kShl, Kind::kBitwise>("BitShift", c);
  if (dir == "RIGHT") return make<BinaryOp::kShr, Kind::kBitwise>("BitShift", c);
  fail(ErrorCode::kInvalidModel, "BitShift: direction must be LEFT or RIGHT, got '", dir, "'");
}
std::unique_ptr<OpKernel> build_equal(const BuildContext& c) {
  return make<BinaryOp::kEqual, Kind::kCompare>("Equal", c);
}
std::unique_ptr<OpKernel> build_less(const BuildContext& c) { return make<BinaryOp::kLess, Kind::kCompare>("Less", c); }
std::unique_ptr<OpKernel> build_less_or_equal(const BuildContext& c) {
  return make<BinaryOp::kLessEq, Kind::kCompare>("LessOrEqual", c);
}
std::unique_ptr<OpKernel> build_greater(const BuildContext& c) {
  return make<BinaryOp::kGreater, Kind::kCompare>("Greater", c);
}
std::unique_ptr<OpKernel> build_greater_or_equal(const BuildContext& c) {
  return make<BinaryOp::kGreaterEq, Kind::kCompare>("GreaterOrEqual", c);
}
std::unique_ptr<OpKernel> build_and(const BuildContext& c) { return make<BinaryOp::kAnd, Kind::kLogical>("And", c); }
std::unique_ptr<OpKernel> build_or(const BuildContext& c) { return make<BinaryOp::kOr, Kind::kLogical>("Or", c); }
std::unique_ptr<OpKernel> build_xor(const BuildContext& c) { return make<BinaryOp::kXor, Kind::kLogical>("Xor", c); }
std::unique_ptr<OpKernel> build_bitwise_and(const BuildContext& c) {
  return make<BinaryOp::kBitAnd, Kind::kBitwise>("BitwiseAnd", c);
}
std::unique_ptr<OpKernel> build_bitwise_or(const BuildContext& c) {
  return make<BinaryOp::kBitOr, Kind::kBitwise>("BitwiseOr", c);
}
std::unique_ptr<OpKernel> build_bitwise_xor(const BuildContext& c) {
  return make<BinaryOp::kBitXor, Kind::kBitwise>("BitwiseXor", c);
}

}  // namespace ortl::opset
