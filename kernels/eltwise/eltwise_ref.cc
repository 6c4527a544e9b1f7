// Spec-literal references: every output element is indexed from its coordinates (numpy
// broadcasting written out), and float math is done in double then rounded once. The oracle of
// tests/math; slow on purpose, never used by ops.
#include <cmath>
#include <type_traits>

#include "kernels/eltwise/eltwise.h"

namespace ortl::kernels {
namespace {

// Offset in an input of shape `in` of the output element at coordinates `coord` (rank of out).
int64_t broadcast_offset(const std::vector<int64_t>& coord, const std::vector<int64_t>& in) {
  const size_t pad = coord.size() - in.size();
  int64_t off = 0;
  for (size_t i = 0; i < in.size(); ++i) off = off * in[i] + (in[i] == 1 ? 0 : coord[pad + i]);
  return off;
}

template <class T>
T ref_int_arith(BinaryOp op, T a, T b) {
  // Exact in __int128, then reduced modulo 2^bits (two's complement wrap).
  const __int128 x = a, y = b;
  __int128 r = 0;
  switch (op) {
    case BinaryOp::kAdd: r = x + y; break;
    case BinaryOp::kSub: r = x - y; break;
    case BinaryOp::kMul:
      r = static_cast<__int128>(static_cast<unsigned __int128>(x) * static_cast<unsigned __int128>(y));
      break;
    case BinaryOp::kDiv: r = y == 0 ? 0 : x / y; break;  // C++ division truncates toward zero
    case BinaryOp::kFMod: r = y == 0 ? 0 : x % y; break;
    case BinaryOp::kMod:
      if (y == 0) break;
      r = x % y;
      if (r != 0 && ((r < 0) != (y < 0))) r += y;
      break;
    case BinaryOp::kPow: {
      if (y < 0) {
        r = x == 1 ? 1 : (x == -1 ? ((y % 2) ? -1 : 1) : 0);
        break;
      }
      unsigned __int128 acc = 1;
      for (__int128 i = 0; i < y; ++i)
        acc = static_cast<unsigned __int128>(
            static_cast<std::make_unsigned_t<T>>(acc * static_cast<unsigned __int128>(x)));
      r = static_cast<__int128>(acc);
      break;
    }
    default: break;
  }
  return static_cast<T>(static_cast<std::make_unsigned_t<T>>(static_cast<unsigned __int128>(r)));
}

template <class T>
double ref_float_arith(BinaryOp op, double a, double b) {
  switch (op) {
    case BinaryOp::kAdd: return a + b;
    case BinaryOp::kSub: return a - b;
    case BinaryOp::kMul: return a * b;
    case BinaryOp::kDiv: return a / b;
    case BinaryOp::kPow: return std::pow(static_cast<T>(a), static_cast<T>(b));
    case BinaryOp::kFMod: return std::fmod(a, b);
    case BinaryOp::kMod: {
      // numpy: a - floor(a / b) * b computed exactly through fmod; zero takes b's sign.
      double r = std::fmod(a, b);
      if (r != 0 && (r < 0) != (b < 0)) r += b;
      if (r == 0) r = std::copysign(0.0, b);
      return r;
    }
    default: return 0;
  }
}

template <class T>
T ref_shift(BinaryOp op, T a, T b) {
  const int bits = static_cast<int>(sizeof(T) * 8);
  const bool out_of_range = static_cast<long double>(b) < 0 || static_cast<long double>(b) >= bits;
  if (op == BinaryOp::kShl) {
    if (out_of_range) return 0;
    return static_cast<T>(static_cast<uint64_t>(a) << static_cast<int>(b));
  }
  if (out_of_range) return static_cast<long double>(a) < 0 ? static_cast<T>(-1) : T(0);
  // Arithmetic shift as floor division by 2^b.
  const __int128 x = a;
  const __int128 d = static_cast<__int128>(1) << static_cast<int>(b);
  __int128 q = x / d;
  if (x % d != 0 && x < 0) --q;
  return static_cast<T>(q);
}

template <class T>
void ref_apply(BinaryOp op, T a, T b, void* dst, int64_t i) {
  if (binary_outputs_bool(op)) {
    bool r = false;
    switch (op) {
      case BinaryOp::kAnd: r = a != 0 && b != 0; break;
      case BinaryOp::kOr: r = a != 0 || b != 0; break;
      case BinaryOp::kXor: r = (a != 0) != (b != 0); break;
      case BinaryOp::kEqual: r = a == b; break;
      case BinaryOp::kLess: r = a < b; break;
      case BinaryOp::kLessEq: r = a <= b; break;
      case BinaryOp::kGreater: r = a > b; break;
      case BinaryOp::kGreaterEq: r = a >= b; break;
      default: break;
    }
    static_cast<uint8_t*>(dst)[i] = r ? 1 : 0;
    return;
  }
  T r{};
  if (op == BinaryOp::kMax || op == BinaryOp::kMin) {
    if (a != a || b != b) {
      r = a != a ? a : b;  // numpy maximum/minimum propagate NaN
    } else {
      r = (op == BinaryOp::kMax) == (a > b) ? a : b;
    }
  } else if (op == BinaryOp::kPRelu) {
    r = a < 0 ? static_cast<T>(ref_float_arith<T>(BinaryOp::kMul, static_cast<double>(a), static_cast<double>(b))) : a;
    if constexpr (std::is_integral_v<T>) {
      if (a < 0) r = ref_int_arith(BinaryOp::kMul, a, b);
    }
  } else if constexpr (std::is_integral_v<T>) {
    switch (op) {
      case BinaryOp::kShl:
      case BinaryOp::kShr: r = ref_shift(op, a, b); break;
      case BinaryOp::kBitAnd: r = static_cast<T>(a & b); break;
      case BinaryOp::kBitOr: r = static_cast<T>(a | b); break;
      case BinaryOp::kBitXor: r = static_cast<T>(a ^ b); break;
      default: r = ref_int_arith(op, a, b);
    }
  } else {
    r = static_cast<T>(ref_float_arith<T>(op, a, b));
  }
  static_cast<T*>(dst)[i] = r;
}

// numpy maximum / minimum: NaN in, NaN out (std::fmax would drop it).
double np_max(double a, double b) { return a != a || b != b ? NAN : (a > b ? a : b); }
double np_min(double a, double b) { return a != a || b != b ? NAN : (a < b ? a : b); }

// 0.5 * x * (1 + erf(x / sqrt 2)), with 1 + erf(-z) written as erfc(z) so double keeps the tail.
double ref_erf_gelu(double x) { return 0.5 * x * std::erfc(-x / std::sqrt(2.0)); }

// One unary op in double, literally as the ONNX spec writes it.
double ref_unary(UnaryOp op, const UnaryParams& p, double x) {
  const double alpha = p.alpha, beta = p.beta, gamma = p.gamma;
  switch (op) {
    case UnaryOp::kAbs: return std::fabs(x);
    case UnaryOp::kNeg: return -x;
    case UnaryOp::kSign: return x > 0 ? 1.0 : (x < 0 ? -1.0 : x);
    case UnaryOp::kRelu: return x < 0 ? 0.0 : x;
    case UnaryOp::kExp: return std::exp(x);
    case UnaryOp::kLog: return std::log(x);
    case UnaryOp::kSqrt: return std::sqrt(x);
    case UnaryOp::kReciprocal: return 1.0 / x;
    case UnaryOp::kFloor: return std::floor(x);
    case UnaryOp::kCeil: return std::ceil(x);
    case UnaryOp::kRound: {  // half to even, spelled out
      const double f = std::floor(x), d = x - f;
      if (d < 0.5) return f;
      if (d > 0.5) return f + 1;
      return std::fmod(f, 2.0) == 0 ? f : f + 1;
    }
    case UnaryOp::kSin: return std::sin(x);
    case UnaryOp::kCos: return std::cos(x);
    case UnaryOp::kTan: return std::tan(x);
    case UnaryOp::kAsin: return std::asin(x);
    case UnaryOp::kAcos: return std::acos(x);
    case UnaryOp::kAtan: return std::atan(x);
    case UnaryOp::kSinh: return std::sinh(x);
    case UnaryOp::kCosh: return std::cosh(x);
    case UnaryOp::kAsinh: return std::asinh(x);
    case UnaryOp::kAcosh: return std::acosh(x);
    case UnaryOp::kAtanh: return std::atanh(x);
    case UnaryOp::kErf: return std::erf(x);
    case UnaryOp::kSigmoid: return 1.0 / (1.0 + std::exp(-x));
    case UnaryOp::kTanh: return std::tanh(x);
    case UnaryOp::kLeakyRelu: return x < 0 ? alpha * x : x;
    case UnaryOp::kElu: return x < 0 ? alpha * (std::exp(x) - 1.0) : x;
    case UnaryOp::kSelu: return x <= 0 ? gamma * (alpha * std::exp(x) - alpha) : gamma * x;
    case UnaryOp::kCelu: return np_max(0.0, x) + np_min(0.0, alpha * (std::exp(x / alpha) - 1.0));
    case UnaryOp::kThresholdedRelu: return x > alpha ? x : 0.0;
    case UnaryOp::kHardSigmoid: return np_max(0.0, np_min(1.0, alpha * x + beta));
    case UnaryOp::kHardSwish: return x * np_max(0.0, np_min(1.0, x / 6.0 + 0.5));
    case UnaryOp::kSoftplus:  // log(exp(x) + 1), rearranged so large x does not overflow
      return x > 0 ? x + std::log(1.0 + std::exp(-x)) : std::log(std::exp(x) + 1.0);
    case UnaryOp::kSoftsign: return x / (1.0 + std::fabs(x));
    case UnaryOp::kGelu: return ref_erf_gelu(x);
    case UnaryOp::kGeluTanh: {
      // 0.5 * x * (1 + tanh(u)), as x / (1 + exp(-2u)): equal, and no cancellation for x << 0.
      const double u = std::sqrt(2.0 / M_PI) * (x + 0.044715 * x * x * x);
      return x / (1.0 + std::exp(-2.0 * u));
    }
    case UnaryOp::kMish: return x * std::tanh(std::log1p(std::exp(x)));
    case UnaryOp::kSwish: return x / (1.0 + std::exp(-alpha * x));
    case UnaryOp::kShrink: return x < -alpha ? x + beta : (x > alpha ? x - beta : 0.0);
    case UnaryOp::kBitNot:
    case UnaryOp::kNot: return 0;
  }
  return 0;
}

}  // namespace

template <class T>
void binary_ref(BinaryOp op, const std::vector<int64_t>& out_shape, const std::vector<int64_t>& a_shape, const T* a,
                const std::vector<int64_t>& b_shape, const T* b, void* dst) {
  int64_t n = 1;
  for (int64_t d : out_shape) n *= d;
  std::vector<int64_t> coord(out_shape.size());
  for (int64_t i = 0; i < n; ++i) {
    int64_t rest = i;
    for (size_t d = out_shape.size(); d-- > 0;) {
      coord[d] = rest % out_shape[d];
      rest /= out_shape[d];
    }
    ref_apply(op, a[broadcast_offset(coord, a_shape)], b[broadcast_offset(coord, b_shape)], dst, i);
  }
}

template <class T>
void unary_ref(UnaryOp op, const UnaryParams& prm, const T* src, T* dst, int64_t n) {
  for (int64_t i = 0; i < n; ++i) {
    const T x = src[i];
    if constexpr (std::is_integral_v<T>) {
      switch (op) {
        case UnaryOp::kBitNot: dst[i] = static_cast<T>(~x); continue;
        case UnaryOp::kNot: dst[i] = x == 0 ? 1 : 0; continue;
        case UnaryOp::kNeg: dst[i] = static_cast<T>(0 - static_cast<uint64_t>(x)); continue;
        case UnaryOp::kAbs: dst[i] = x < 0 ? static_cast<T>(0 - static_cast<uint64_t>(x)) : x; continue;
        case UnaryOp::kSign: dst[i] = x > 0 ? T(1) : (x < 0 ? static_cast<T>(-1) : T(0)); continue;
        case UnaryOp::kRelu: dst[i] = x > 0 ? x : T(0); continue;
        default: break;
      }
    }
    const double r = ref_unary(op, prm, static_cast<double>(x));
    if constexpr (std::is_integral_v<T>) {
      dst[i] = r != r ? T(0) : static_cast<T>(std::trunc(r));
    } else {
      dst[i] = static_cast<T>(r);
    }
  }
}

#define ORTL_INSTANTIATE(T)                                                                                 \
  template void binary_ref<T>(BinaryOp, const std::vector<int64_t>&, const std::vector<int64_t>&, const T*, \
                              const std::vector<int64_t>&, const T*, void*);                                \
  template void unary_ref<T>(UnaryOp, const UnaryParams&, const T*, T*, int64_t);
ORTL_ELTWISE_TYPES(ORTL_INSTANTIATE)
#undef ORTL_INSTANTIATE

}  // namespace ortl::kernels
