// Unary math and activation kernels, plus Clip, IsNaN/IsInf and Where, split across threads in
// contiguous chunks. The float loops live in unary_impl.h, compiled once per ISA and picked from
// kernels.inc; float uses the vectorizable exp/tanh/erf of fast_math.h for the activations models
// spend time in (Sigmoid, Tanh, Gelu, Swish, Elu, Mish); the rarer functions (trigonometry, log,
// softplus) call libm, and double always does.
#include <cmath>
#include <iterator>
#include <limits>
#include <type_traits>

#include "kernels/base/isa.h"
#include "kernels/eltwise/eltwise.h"
#include "kernels/eltwise/scalar_ops.h"
#include "kernels/eltwise/unary_impl.h"

namespace ortl::kernels {
namespace {

template <class T, class R, class F>
void map(const T* src, R* dst, int64_t n, Parallel& par, double cost, F f) {
  par.for_range(n, cost, [&](int64_t b, int64_t e) {
    const T* s = src;
    R* d = dst;
    for (int64_t i = b; i < e; ++i) d[i] = f(s[i]);
  });
}

template <class T>
void unary_int(UnaryOp op, const UnaryParams& prm, const T* src, T* dst, int64_t n, Parallel& par) {
  constexpr double kCost = 0.3;
  using W = typename scalar::Wrap<T>::type;  // -INT_MIN wraps to INT_MIN (numpy), no UB
  switch (op) {
    case UnaryOp::kAbs:
      if constexpr (std::is_signed_v<T>) {
        map(src, dst, n, par, kCost, [](T x) { return x < 0 ? static_cast<T>(W(0) - static_cast<W>(x)) : x; });
      } else {
        map(src, dst, n, par, kCost, [](T x) { return x; });
      }
      break;
    case UnaryOp::kNeg:
      map(src, dst, n, par, kCost, [](T x) { return static_cast<T>(W(0) - static_cast<W>(x)); });
      break;
    case UnaryOp::kSign: map(src, dst, n, par, kCost, [](T x) { return static_cast<T>((x > 0) - (x < 0)); }); break;
    case UnaryOp::kRelu: map(src, dst, n, par, kCost, [](T x) { return x > 0 ? x : T(0); }); break;
    case UnaryOp::kBitNot: map(src, dst, n, par, kCost, [](T x) { return static_cast<T>(~x); }); break;
    case UnaryOp::kNot: map(src, dst, n, par, kCost, [](T x) { return static_cast<T>(x == 0); }); break;
    case UnaryOp::kShrink: {
      const double lambd = prm.alpha, bias = prm.beta;
      map(src, dst, n, par, 1.0, [=](T x) {
        const double v = static_cast<double>(x);
        return v < -lambd ? scalar::from_double<T>(v + bias) : (v > lambd ? scalar::from_double<T>(v - bias) : T(0));
      });
      break;
    }
    default: break;  // float-only ops: the op layer never sends integers here
  }
}

// Rough ns per element of the float ops, so small tensors stay on one thread.
double unary_cost(UnaryOp op) {
  switch (op) {
    case UnaryOp::kExp:
    case UnaryOp::kErf:
    case UnaryOp::kSigmoid:
    case UnaryOp::kTanh:
    case UnaryOp::kElu:
    case UnaryOp::kSelu:
    case UnaryOp::kCelu:
    case UnaryOp::kGelu:
    case UnaryOp::kGeluTanh:
    case UnaryOp::kMish:
    case UnaryOp::kSwish: return 1.5;
    case UnaryOp::kLog:
    case UnaryOp::kSin:
    case UnaryOp::kCos:
    case UnaryOp::kTan:
    case UnaryOp::kAsin:
    case UnaryOp::kAcos:
    case UnaryOp::kAtan:
    case UnaryOp::kSinh:
    case UnaryOp::kCosh:
    case UnaryOp::kAsinh:
    case UnaryOp::kAcosh:
    case UnaryOp::kAtanh:
    case UnaryOp::kSoftplus: return 10.0;
    default: return 0.3;
  }
}

const UnaryF32Impl kUnaryF32Impls[] = {
#include "kernels/eltwise/kernels.inc"
};

}  // namespace

void unary_f32_generic(UnaryOp op, const UnaryParams& prm, const float* src, float* dst, int64_t n) {
  unary_float_range<float>(op, prm, src, dst, n);
}

const UnaryF32Impl& select_unary_f32(uint32_t isa_mask) {
  for (const UnaryF32Impl& k : kUnaryF32Impls)
    if ((k.isa & isa_mask) == k.isa) return k;
  return kUnaryF32Impls[std::size(kUnaryF32Impls) - 1];
}

void unary_f32(const UnaryF32Impl& impl, UnaryOp op, const UnaryParams& prm, const float* src, float* dst, int64_t n,
               Parallel& par) {
  par.for_range(n, unary_cost(op), [&](int64_t b, int64_t e) { impl.run(op, prm, src + b, dst + b, e - b); });
}

template <class T>
void unary(UnaryOp op, const UnaryParams& prm, const T* src, T* dst, int64_t n, Parallel& par) {
  if constexpr (std::is_same_v<T, float>) {
    static const UnaryF32Impl& impl = select_unary_f32(active_isa());
    unary_f32(impl, op, prm, src, dst, n, par);
  } else if constexpr (std::is_floating_point_v<T>) {
    par.for_range(n, unary_cost(op) * 2,
                  [&](int64_t b, int64_t e) { unary_float_range<T>(op, prm, src + b, dst + b, e - b); });
  } else {
    unary_int(op, prm, src, dst, n, par);
  }
}

template <class T>
void clip(const T* src, T* dst, int64_t n, T lo, T hi, Parallel& par) {
  map(src, dst, n, par, 0.3, [=](T x) {
    const T v = x < lo ? lo : x;
    return v > hi ? hi : v;
  });
}

template <class T>
void is_nan(const T* src, uint8_t* dst, int64_t n) {
  for (int64_t i = 0; i < n; ++i) dst[i] = static_cast<uint8_t>(src[i] != src[i]);
}

template <class T>
void is_inf(const T* src, uint8_t* dst, int64_t n, bool detect_positive, bool detect_negative) {
  const T inf = std::numeric_limits<T>::infinity();
  const bool dp = detect_positive, dn = detect_negative;
  for (int64_t i = 0; i < n; ++i) dst[i] = static_cast<uint8_t>((dp & (src[i] == inf)) | (dn & (src[i] == -inf)));
}

template <class T>
void where(const BroadcastPlan& p, const uint8_t* cond, const T* x, const T* y, T* dst, Parallel& par) {
  const bool sc = p.inner_stride(0) != 0, sx = p.inner_stride(1) != 0, sy = p.inner_stride(2) != 0;
  parallel_runs(p, par, 0.5, [&](int64_t o, const int64_t* in, int64_t n) {
    const uint8_t* c = cond + in[0];
    const T* a = x + in[1];
    const T* b = y + in[2];
    T* d = dst + o;
    if (sc && sx && sy) {
      for (int64_t i = 0; i < n; ++i) d[i] = c[i] ? a[i] : b[i];
    } else if (!sc) {  // one condition for the whole run: a copy or a fill
      const T* s = *c ? a : b;
      if (*c ? sx : sy) {
        for (int64_t i = 0; i < n; ++i) d[i] = s[i];
      } else {
        const T v = *s;
        for (int64_t i = 0; i < n; ++i) d[i] = v;
      }
    } else {
      const int64_t ix = sx ? 1 : 0, iy = sy ? 1 : 0;
      for (int64_t i = 0; i < n; ++i) d[i] = c[i] ? a[i * ix] : b[i * iy];
    }
  });
}

#define ORTL_INSTANTIATE(T)                                                              \
  template void unary<T>(UnaryOp, const UnaryParams&, const T*, T*, int64_t, Parallel&); \
  template void clip<T>(const T*, T*, int64_t, T, T, Parallel&);
ORTL_ELTWISE_TYPES(ORTL_INSTANTIATE)
#undef ORTL_INSTANTIATE

template void is_nan<float>(const float*, uint8_t*, int64_t);
template void is_nan<double>(const double*, uint8_t*, int64_t);
template void is_inf<float>(const float*, uint8_t*, int64_t, bool, bool);
template void is_inf<double>(const double*, uint8_t*, int64_t, bool, bool);

template void where<uint8_t>(const BroadcastPlan&, const uint8_t*, const uint8_t*, const uint8_t*, uint8_t*, Parallel&);
template void where<uint16_t>(const BroadcastPlan&, const uint8_t*, const uint16_t*, const uint16_t*, uint16_t*,
                              Parallel&);
template void where<uint32_t>(const BroadcastPlan&, const uint8_t*, const uint32_t*, const uint32_t*, uint32_t*,
                              Parallel&);
template void where<uint64_t>(const BroadcastPlan&, const uint8_t*, const uint64_t*, const uint64_t*, uint64_t*,
                              Parallel&);

}  // namespace ortl::kernels
