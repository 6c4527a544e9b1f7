// Unary math functions and activations: one kernel class over kernels::unary, parameterised by
// the op and its attributes (parsed once here). float16 / bfloat16 are computed in float.
#include "kernels/base/isa.h"
#include "kernels/eltwise/eltwise.h"
#include "opset/math/eltwise_util.h"
#include "opset/math/math.h"

namespace ortl::opset {
namespace {

using kernels::UnaryOp;
using kernels::UnaryParams;
using namespace eltwise;

enum class Types { kFloat, kFloatOrSigned, kNumeric, kInteger, kBool };

class Unary final : public OpKernel {
 public:
  Unary(UnaryOp op, Types types, const char* name, UnaryParams prm = {})
      : op_(op), types_(types), name_(name), prm_(prm), f32_(&kernels::select_unary_f32(kernels::active_isa())) {}

  void infer(InferContext& ctx) const override {
    const DType t = ctx.input_dtype(0);
    bool ok = false;
    switch (types_) {
      case Types::kFloat: ok = is_float_type(t); break;
      case Types::kFloatOrSigned: ok = is_signed_type(t); break;
      case Types::kNumeric: ok = is_float_type(t) || is_integer_type(t); break;
      case Types::kInteger: ok = is_integer_type(t); break;
      case Types::kBool: ok = t == DType::kBool; break;
    }
    check(ok, ErrorCode::kNotImplemented, name_, ": dtype ", dtype_name(t), " is not supported");
    ctx.set_output(0, ctx.input_type(0));
  }

  void run(RunContext& ctx) const override {
    const Tensor& x = *ctx.input(0);
    Tensor& y = ctx.output(0, x.shape());
    if (is_half_type(x.dtype())) {
      Tensor f = to_float(x);
      kernels::unary_f32(*f32_, op_, prm_, f.data_as<float>(), f.data_as<float>(), f.numel(), ctx.par());
      store_float(f, y);
      return;
    }
    if (x.dtype() == DType::kFloat) {
      kernels::unary_f32(*f32_, op_, prm_, x.data_as<float>(), y.data_as<float>(), x.numel(), ctx.par());
      return;
    }
    const DType t = x.dtype() == DType::kBool ? DType::kUInt8 : x.dtype();
    dispatch_numeric(t, name_, [&](auto v) {
      using T = decltype(v);
      kernels::unary<T>(op_, prm_, x.data_as<T>(), y.data_as<T>(), x.numel(), ctx.par());
    });
  }

  std::vector<std::pair<int, int>> inplace() const override { return {{0, 0}}; }
  std::string kernel_name() const override { return f32_->name; }

 private:
  UnaryOp op_;
  Types types_;
  const char* name_;
  UnaryParams prm_;
  const kernels::UnaryF32Impl* f32_;  // picked once for the host (float and 16-bit floats)
};

// IsNaN / IsInf: float in, bool out.
class FloatClass final : public OpKernel {
 public:
  FloatClass(bool inf, bool pos, bool neg) : inf_(inf), pos_(pos), neg_(neg) {}
  void infer(InferContext& ctx) const override {
    check(is_float_type(ctx.input_dtype(0)), ErrorCode::kNotImplemented, inf_ ? "IsInf" : "IsNaN", ": dtype ",
          dtype_name(ctx.input_dtype(0)), " is not supported");
    const TypeInfo& x = ctx.input_type(0);
    ctx.set_output(0, TypeInfo{DType::kBool, x.has_shape, x.shape});
  }
  void run(RunContext& ctx) const override {
    const Tensor& x = *ctx.input(0);
    Tensor& y = ctx.output(0, x.shape());
    auto* d = y.data_as<uint8_t>();
    if (x.dtype() == DType::kDouble) return apply(x.data_as<double>(), d, x.numel());
    if (x.dtype() == DType::kFloat) return apply(x.data_as<float>(), d, x.numel());
    const Tensor f = to_float(x);
    apply(f.data_as<float>(), d, f.numel());
  }
  std::vector<std::pair<int, int>> inplace() const override { return {{0, 0}}; }

 private:
  template <class T>
  void apply(const T* s, uint8_t* d, int64_t n) const {
    if (inf_) {
      kernels::is_inf(s, d, n, pos_, neg_);
    } else {
      kernels::is_nan(s, d, n);
    }
  }
  bool inf_, pos_, neg_;
};

std::unique_ptr<OpKernel> make(UnaryOp op, const char* name, Types types = Types::kFloat, UnaryParams prm = {}) {
  return std::make_unique<Unary>(op, types, name, prm);
}

UnaryParams params(float alpha, float beta = 0, float gamma = 0) { return UnaryParams{alpha, beta, gamma}; }

}  // namespace

// ---- math -----------------------------------------------------------------------------------
std::unique_ptr<OpKernel> build_abs(const BuildContext&) { return make(UnaryOp::kAbs, "Abs", Types::kNumeric); }
std::unique_ptr<OpKernel> build_neg(const BuildContext&) { return make(UnaryOp::kNeg, "Neg", Types::kFloatOrSigned); }
std::unique_ptr<OpKernel> build_sign(const BuildContext&) { return make(UnaryOp::kSign, "Sign", Types::kNumeric); }
std::unique_ptr<OpKernel> build_exp(const BuildContext&) { return make(UnaryOp::kExp, "Exp"); }
std::unique_ptr<OpKernel> build_log(const BuildContext&) { return make(UnaryOp::kLog, "Log"); }
std::unique_ptr<OpKernel> build_sqrt(const BuildContext&) { return make(UnaryOp::kSqrt, "Sqrt"); }
std::unique_ptr<OpKernel> build_reciprocal(const BuildContext&) { return make(UnaryOp::kReciprocal, "Reciprocal"); }
std::unique_ptr<OpKernel> build_floor(const BuildContext&) { return make(UnaryOp::kFloor, "Floor"); }
std::unique_ptr<OpKernel> build_ceil(const BuildContext&) { return make(UnaryOp::kCeil, "Ceil"); }
std::unique_ptr<OpKernel> build_round(const BuildContext&) { return make(UnaryOp::kRound, "Round"); }
std::unique_ptr<OpKernel> build_sin(const BuildContext&) { return make(UnaryOp::kSin, "Sin"); }
std::unique_ptr<OpKernel> build_cos(const BuildContext&) { return make(UnaryOp::kCos, "Cos"); }
std::unique_ptr<OpKernel> build_tan(const BuildContext&) { return make(UnaryOp::kTan, "Tan"); }
std::unique_ptr<OpKernel> build_asin(const BuildContext&) { return make(UnaryOp::kAsin, "Asin"); }
std::unique_ptr<OpKernel> build_acos(const BuildContext&) { return make(UnaryOp::kAcos, "Acos"); }
std::unique_ptr<OpKernel> build_atan(const BuildContext&) { return make(UnaryOp::kAtan, "Atan"); }
std::unique_ptr<OpKernel> build_sinh(const BuildContext&) { return make(UnaryOp::kSinh, "Sinh"); }
std::unique_ptr<OpKernel> build_cosh(const BuildContext&) { return make(UnaryOp::kCosh, "Cosh"); }
std::unique_ptr<OpKernel> build_asinh(const BuildContext&) { return make(UnaryOp::kAsinh, "Asinh"); }
std::unique_ptr<OpKernel> build_acosh(const BuildContext&) { return make(UnaryOp::kAcosh, "Acosh"); }
std::unique_ptr<OpKernel> build_atanh(const BuildContext&) { return make(UnaryOp::kAtanh, "Atanh"); }
std::unique_ptr<OpKernel> build_erf(const BuildContext&) { return make(UnaryOp::kErf, "Erf"); }
std::unique_ptr<OpKernel> build_not(const BuildContext&) { return make(UnaryOp::kNot, "Not", Types::kBool); }
std::unique_ptr<OpKernel> build_bitwise_not(const BuildContext&) {
  return make(UnaryOp::kBitNot, "BitwiseNot", Types::kInteger);
}
std::unique_ptr<OpKernel> build_isnan(const BuildContext&) { return std::make_unique<FloatClass>(false, false, false); }
std::unique_ptr<OpKernel> build_isinf(const BuildContext& c) {
  return std::make_unique<FloatClass>(true, c.node.get_int("detect_positive", 1) != 0,
                                      c.node.get_int("detect_negative", 1) != 0);
}

// ---- activations ----------------------------------------------------------------------------
std::unique_ptr<OpKernel> build_relu(const BuildContext&) {
  return make(UnaryOp::kRelu, "Relu", Types::kFloatOrSigned);
}
std::unique_ptr<OpKernel> build_sigmoid(const BuildContext&) { return make(UnaryOp::kSigmoid, "Sigmoid"); }
std::unique_ptr<OpKernel> build_tanh(const BuildContext&) { return make(UnaryOp::kTanh, "Tanh"); }
std::unique_ptr<OpKernel> build_leaky_relu(const BuildContext& c) {
  return make(UnaryOp::kLeakyRelu, "LeakyRelu", Types::kFloat, params(c.node.get_float("alpha", 0.01f)));
}
std::unique_ptr<OpKernel> build_elu(const BuildContext& c) {
  return make(UnaryOp::kElu, "Elu", Types::kFloat, params(c.node.get_float("alpha", 1.0f)));
}
std::unique_ptr<OpKernel> build_selu(const BuildContext& c) {
  return make(UnaryOp::kSelu, "Selu", Types::kFloat,
              params(c.node.get_float("alpha", 1.67326319217681884765625f), 0,
                     c.node.get_float("gamma", 1.05070102214813232421875f)));
}
std::unique_ptr<OpKernel> build_celu(const BuildContext& c) {
  const float alpha = c.node.get_float("alpha", 1.0f);
  check(alpha != 0, ErrorCode::kInvalidModel, "Celu: alpha must not be 0");
  return make(UnaryOp::kCelu, "Celu", Types::kFloat, params(alpha));
}
std::unique_ptr<OpKernel> build_thresholded_relu(const BuildContext& c) {
  return make(UnaryOp::kThresholdedRelu, "ThresholdedRelu", Types::kFloat, params(c.node.get_float("alpha", 1.0f)));
}
std::unique_ptr<OpKernel> build_hard_sigmoid(const BuildContext& c) {
  return make(UnaryOp::kHardSigmoid, "HardSigmoid", Types::kFloat,
              params(c.node.get_float("alpha", 0.2f), c.node.get_float("beta", 0.5f)));
}
std::unique_ptr<OpKernel> build_hard_swish(const BuildContext&) { return make(UnaryOp::kHardSwish, "HardSwish"); }
std::unique_ptr<OpKernel> build_softplus(const BuildContext&) { return make(UnaryOp::kSoftplus, "Softplus"); }
std::unique_ptr<OpKernel> build_softsign(const BuildContext&) { return make(UnaryOp::kSoftsign, "Softsign"); }
std::unique_ptr<OpKernel> build_gelu(const BuildContext& c) {
  const std::string approx = c.node.get_string("approximate", "none");
  if (approx == "none") return make(UnaryOp::kGelu, "Gelu");
  if (approx == "tanh") return make(UnaryOp::kGeluTanh, "Gelu");
  fail(ErrorCode::kInvalidModel, "Gelu: approximate must be 'none' or 'tanh', got '", approx, "'");
}
std::unique_ptr<OpKernel> build_mish(const BuildContext&) { return make(UnaryOp::kMish, "Mish"); }
std::unique_ptr<OpKernel> build_swish(const BuildContext& c) {
  return make(UnaryOp::kSwish, "Swish", Types::kFloat, params(c.node.get_float("alpha", 1.0f)));
}
std::unique_ptr<OpKernel> build_shrink(const BuildContext& c) {
  return make(UnaryOp::kShrink, "Shrink", Types::kNumeric,
              params(c.node.get_float("lambd", 0.5f), c.node.get_float("bias", 0.0f)));
}

}  // namespace ortl::opset
