// The float / double unary loops, included by one translation unit per ISA (unary.cc: generic
// and double; unary_avx2.cc, unary_avx512.cc: float with those flags), which is why everything
// here has internal linkage and uses only builtins and fast_math.h: no inline function with
// external linkage may be compiled with AVX flags and then picked by the linker for generic code.
//
// Each op is one loop over contiguous memory; with the clamps of fast_math.h turned into blends
// (no-trapping-math below) the exp/tanh/erf-based activations vectorize, 4 / 8 / 16 wide.
#pragma once

// GCC otherwise keeps `c ? k : x` followed by arithmetic as branches (the arithmetic could raise
// an FP exception on the other path) and gives up on vectorizing. ONNX has no FP exceptions.
// It comes first: GCC does not inline fast_math.h's functions into code built with other options.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("no-trapping-math")
#endif

#include <cmath>
#include <type_traits>

#include "kernels/eltwise/eltwise.h"
#include "kernels/eltwise/fast_math.h"

namespace ortl::kernels {
namespace {

// Builtins per type (std::floor(float) etc. are inline functions with external linkage).
#define ORTL_BUILTIN(name)                                                 \
  template <class T>                                                       \
  inline T builtin_##name(T x) {                                           \
    if constexpr (std::is_same_v<T, float>) return __builtin_##name##f(x); \
    return __builtin_##name(x);                                            \
  }
ORTL_BUILTIN(fabs)
ORTL_BUILTIN(sqrt)
ORTL_BUILTIN(floor)
ORTL_BUILTIN(ceil)
ORTL_BUILTIN(rint)
ORTL_BUILTIN(log)
ORTL_BUILTIN(sin)
ORTL_BUILTIN(cos)
ORTL_BUILTIN(tan)
ORTL_BUILTIN(asin)
ORTL_BUILTIN(acos)
ORTL_BUILTIN(atan)
ORTL_BUILTIN(sinh)
ORTL_BUILTIN(cosh)
ORTL_BUILTIN(asinh)
ORTL_BUILTIN(acosh)
ORTL_BUILTIN(atanh)
ORTL_BUILTIN(log1p)
ORTL_BUILTIN(exp)
ORTL_BUILTIN(tanh)
ORTL_BUILTIN(erf)
ORTL_BUILTIN(erfc)
#undef ORTL_BUILTIN

template <class T, class F>
inline void each(const T* src, T* dst, int64_t n, F f) {
  for (int64_t i = 0; i < n; ++i) dst[i] = f(src[i]);
}

// exp / tanh / erf in T: the fast approximations for float, libm for double.
template <class T>
inline T vexp(T x) {
  if constexpr (std::is_same_v<T, float>) return fastmath::exp_f32(x);
  return builtin_exp(x);
}
template <class T>
inline T vtanh(T x) {
  if constexpr (std::is_same_v<T, float>) return fastmath::tanh_f32(x);
  return builtin_tanh(x);
}
template <class T>
inline T verf(T x) {
  if constexpr (std::is_same_v<T, float>) return fastmath::erf_f32(x);
  return builtin_erf(x);
}

// Phi(x) = 0.5 * erfc(-x / sqrt 2): the Gelu gate, accurate in the left tail too.
template <class T>
inline T vphi(T x) {
  if constexpr (std::is_same_v<T, float>) return 0.5f * fastmath::erfc_f32(x * -0.70710678118654752440f);
  return T(0.5) * builtin_erfc(x * T(-0.70710678118654752440));
}

template <class T>
void unary_float_range(UnaryOp op, const UnaryParams& prm, const T* src, T* dst, int64_t n) {
  const T alpha = static_cast<T>(prm.alpha), beta = static_cast<T>(prm.beta), gamma = static_cast<T>(prm.gamma);
  switch (op) {
    case UnaryOp::kAbs: each(src, dst, n, [](T x) { return builtin_fabs(x); }); break;
    case UnaryOp::kNeg: each(src, dst, n, [](T x) { return -x; }); break;
    case UnaryOp::kSign:
      each(src, dst, n, [](T x) { return x > 0 ? T(1) : (x < 0 ? T(-1) : (x == 0 ? T(0) : x)); });
      break;
    case UnaryOp::kRelu: each(src, dst, n, [](T x) { return x < 0 ? T(0) : x; }); break;
    case UnaryOp::kExp: each(src, dst, n, [](T x) { return vexp(x); }); break;
    case UnaryOp::kLog: each(src, dst, n, [](T x) { return builtin_log(x); }); break;
    case UnaryOp::kSqrt: each(src, dst, n, [](T x) { return builtin_sqrt(x); }); break;
    case UnaryOp::kReciprocal: each(src, dst, n, [](T x) { return T(1) / x; }); break;
    case UnaryOp::kFloor: each(src, dst, n, [](T x) { return builtin_floor(x); }); break;
    case UnaryOp::kCeil: each(src, dst, n, [](T x) { return builtin_ceil(x); }); break;
    // rint rounds half to even in the default rounding mode, as ONNX Round requires.
    case UnaryOp::kRound: each(src, dst, n, [](T x) { return builtin_rint(x); }); break;
    case UnaryOp::kSin: each(src, dst, n, [](T x) { return builtin_sin(x); }); break;
    case UnaryOp::kCos: each(src, dst, n, [](T x) { return builtin_cos(x); }); break;
    case UnaryOp::kTan: each(src, dst, n, [](T x) { return builtin_tan(x); }); break;
    case UnaryOp::kAsin: each(src, dst, n, [](T x) { return builtin_asin(x); }); break;
    case UnaryOp::kAcos: each(src, dst, n, [](T x) { return builtin_acos(x); }); break;
    case UnaryOp::kAtan: each(src, dst, n, [](T x) { return builtin_atan(x); }); break;
    case UnaryOp::kSinh: each(src, dst, n, [](T x) { return builtin_sinh(x); }); break;
    case UnaryOp::kCosh: each(src, dst, n, [](T x) { return builtin_cosh(x); }); break;
    case UnaryOp::kAsinh: each(src, dst, n, [](T x) { return builtin_asinh(x); }); break;
    case UnaryOp::kAcosh: each(src, dst, n, [](T x) { return builtin_acosh(x); }); break;
    case UnaryOp::kAtanh: each(src, dst, n, [](T x) { return builtin_atanh(x); }); break;
    case UnaryOp::kErf: each(src, dst, n, [](T x) { return verf(x); }); break;
    case UnaryOp::kSigmoid: each(src, dst, n, [](T x) { return T(1) / (T(1) + vexp(-x)); }); break;
    case UnaryOp::kTanh: each(src, dst, n, [](T x) { return vtanh(x); }); break;
    case UnaryOp::kLeakyRelu: each(src, dst, n, [=](T x) { return x < 0 ? alpha * x : x; }); break;
    case UnaryOp::kElu: each(src, dst, n, [=](T x) { return x < 0 ? alpha * (vexp(x) - T(1)) : x; }); break;
    case UnaryOp::kSelu:
      each(src, dst, n, [=](T x) { return x <= 0 ? gamma * (alpha * vexp(x) - alpha) : gamma * x; });
      break;
    case UnaryOp::kCelu: each(src, dst, n, [=](T x) { return x > 0 ? x : alpha * (vexp(x / alpha) - T(1)); }); break;
    case UnaryOp::kThresholdedRelu: each(src, dst, n, [=](T x) { return x > alpha ? x : T(0); }); break;
    case UnaryOp::kHardSigmoid:
      each(src, dst, n, [=](T x) {
        const T v = alpha * x + beta;
        return v < 0 ? T(0) : (v > 1 ? T(1) : v);
      });
      break;
    case UnaryOp::kHardSwish:
      each(src, dst, n, [](T x) {
        const T v = x * T(1.0 / 6.0) + T(0.5);
        return x * (v < 0 ? T(0) : (v > 1 ? T(1) : v));
      });
      break;
    case UnaryOp::kSoftplus:
      // log(1 + e^x) without overflow: x + log1p(e^-x) for x > 0.
      each(src, dst, n, [](T x) { return x > 0 ? x + builtin_log1p(builtin_exp(-x)) : builtin_log1p(builtin_exp(x)); });
      break;
    case UnaryOp::kSoftsign: each(src, dst, n, [](T x) { return x / (T(1) + builtin_fabs(x)); }); break;
    case UnaryOp::kGelu: each(src, dst, n, [](T x) { return x * vphi(x); }); break;
    case UnaryOp::kGeluTanh:
      // 0.5 * (1 + tanh(u)) = 1 / (1 + e^(-2u)): the same value without cancellation at x << 0.
      each(src, dst, n, [](T x) {
        const T u = T(0.79788456080286535588) * (x + T(0.044715) * x * x * x);
        return x / (T(1) + vexp(T(-2) * u));
      });
      break;
    case UnaryOp::kMish:
      // tanh(log(1 + u)) = u(u + 2) / (u(u + 2) + 2) with u = e^x; for x > 20 it is 1 in T.
      each(src, dst, n, [](T x) {
        const T u = vexp(x > T(20) ? T(20) : x);
        const T w = u * (u + T(2));
        return x > T(20) ? x : x * w / (w + T(2));
      });
      break;
    case UnaryOp::kSwish: each(src, dst, n, [=](T x) { return x / (T(1) + vexp(-alpha * x)); }); break;
    case UnaryOp::kShrink:
      each(src, dst, n, [=](T x) { return x < -alpha ? x + beta : (x > alpha ? x - beta : T(0)); });
      break;
    case UnaryOp::kBitNot:
    case UnaryOp::kNot: break;  // integer-only
  }
}

}  // namespace
}  // namespace ortl::kernels
