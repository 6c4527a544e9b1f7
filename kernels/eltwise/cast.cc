// Cast between every pair of numeric storage types (21 x 21 instantiations of one loop).
// 16-bit floats widen exactly through float and narrow with one round-to-nearest-even step from
// float or double (half.h); float -> integer is NaN-safe and saturating (C++ leaves it undefined).
// Minifloats (lowp.h) widen exactly to float through a 256-entry table and narrow from float or
// double with one rounding; float8e8m0 narrows from float, as the onnx reference does.

// Lets GCC turn the NaN / range checks of float -> int into selects (see unary_impl.h).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("no-trapping-math")
#endif

#include <array>
#include <limits>
#include <type_traits>

#include "kernels/eltwise/eltwise.h"
#include "kernels/eltwise/half.h"

namespace ortl::kernels {
namespace {

template <class T>
struct IsMiniFloat : std::false_type {};
template <class F>
struct IsMiniFloat<lowp::Code<F>> : std::true_type {
  using Format = F;
};

// Every code's value, computed once per format.
template <class F>
const float* minifloat_table() {
  static const auto table = [] {
    std::array<float, 256> t{};
    for (int i = 0; i < 256; ++i) t[i] = lowp::to_float<F>(static_cast<uint8_t>(i));
    return t;
  }();
  return table.data();
}

// float/double -> integer: truncate toward zero; NaN -> 0; the value saturates to W, the
// conversion width (int32 for targets that fit it, int64 otherwise), and narrower targets take
// it modulo 2^bits (what static_cast does between integers). Written as selects so the loop
// vectorizes (cvttps2dq for int32).
template <class I, class F>
inline I float_to_int(F v) {
  if constexpr (std::is_same_v<I, uint64_t>) {
    if (v >= F(18446744073709551616.0)) return std::numeric_limits<uint64_t>::max();
    if (v >= F(0)) return static_cast<uint64_t>(v);
    return static_cast<uint64_t>(float_to_int<int64_t>(v));
  } else {
    using W = std::conditional_t<(sizeof(I) < 4 || std::is_same_v<I, int32_t>), int32_t, int64_t>;
    constexpr F kLo = static_cast<F>(std::numeric_limits<W>::min());  // -2^31 or -2^63: exact
    const bool nan = v != v;
    const bool big = v >= -kLo;
    const F c = v < kLo ? kLo : v;
    const W i = static_cast<W>((nan || big) ? F(0) : c);
    return static_cast<I>(big ? std::numeric_limits<W>::max() : i);
  }
}

// Any source as a plain arithmetic value (16-bit floats as float, Bool as uint8_t).
template <class S>
inline auto widen(S x) {
  if constexpr (std::is_same_v<S, Half>)
    return half_bits_to_float(x.bits);
  else if constexpr (std::is_same_v<S, BFloat16>)
    return bf16_bits_to_float(x.bits);
  else if constexpr (std::is_same_v<S, Bool>)
    return static_cast<uint8_t>(x.v != 0);
  else if constexpr (std::is_same_v<S, lowp::E8M0Code>)
    return lowp::e8m0_to_float(x.bits);
  else if constexpr (IsMiniFloat<S>::value)
    return lowp::to_float<typename IsMiniFloat<S>::Format>(x.bits);
  else
    return x;
}

template <class D, class S>
inline D convert(S x, const CastParams& prm) {
  const auto v = widen(x);
  using V = std::remove_cv_t<decltype(v)>;
  if constexpr (std::is_same_v<D, lowp::E8M0Code>) {
    return D{lowp::e8m0_from_float(static_cast<float>(v), prm.saturate, prm.e8m0_round)};
  } else if constexpr (IsMiniFloat<D>::value) {
    using F = typename IsMiniFloat<D>::Format;
    if constexpr (std::is_same_v<V, float>)
      return D{lowp::from_float<F>(v, prm.saturate)};
    else
      return D{lowp::from_double<F>(static_cast<double>(v), prm.saturate)};
  } else if constexpr (std::is_same_v<D, Bool>) {
    return Bool{static_cast<uint8_t>(v != 0)};
  } else if constexpr (std::is_same_v<D, Half>) {
    if constexpr (std::is_same_v<V, float>)
      return Half{float_to_half_bits(v)};
    else
      return Half{double_to_half_bits(static_cast<double>(v))};
  } else if constexpr (std::is_same_v<D, BFloat16>) {
    if constexpr (std::is_same_v<V, float>)
      return BFloat16{float_to_bf16_bits(v)};
    else
      return BFloat16{double_to_bf16_bits(static_cast<double>(v))};
  } else if constexpr (std::is_integral_v<D> && std::is_floating_point_v<V>) {
    return float_to_int<D>(v);
  } else {
    return static_cast<D>(v);
  }
}

}  // namespace

template <class Src, class Dst>
void cast(const Src* src, Dst* dst, int64_t n, Parallel& par, const CastParams& prm) {
  // float <-> float16: the bulk routines (F16C where the host has it).
  if constexpr (std::is_same_v<Src, float> && std::is_same_v<Dst, Half>) {
    par.for_range(n, 0.2,
                  [&](int64_t b, int64_t e) { float_to_half(src + b, reinterpret_cast<uint16_t*>(dst) + b, e - b); });
    return;
  } else if constexpr (std::is_same_v<Src, Half> && std::is_same_v<Dst, float>) {
    par.for_range(n, 0.2, [&](int64_t b, int64_t e) {
      half_to_float(reinterpret_cast<const uint16_t*>(src) + b, dst + b, e - b);
    });
    return;
  }
  if constexpr (IsMiniFloat<Src>::value) {
    const float* table = minifloat_table<typename IsMiniFloat<Src>::Format>();
    par.for_range(n, 1.0, [&](int64_t b, int64_t e) {
      for (int64_t i = b; i < e; ++i) dst[i] = convert<Dst>(table[src[i].bits], prm);
    });
    return;
  }
  constexpr bool kLowpDst = IsMiniFloat<Dst>::value || std::is_same_v<Dst, lowp::E8M0Code>;
  par.for_range(n, kLowpDst ? 4.0 : 0.5, [&](int64_t b, int64_t e) {
    const Src* s = src;
    Dst* d = dst;
    for (int64_t i = b; i < e; ++i) d[i] = convert<Dst>(s[i], prm);
  });
}

// Every (Src, Dst) pair.
using F8E4M3FN = lowp::Code<lowp::E4M3FN>;
using F8E4M3FNUZ = lowp::Code<lowp::E4M3FNUZ>;
using F8E5M2 = lowp::Code<lowp::E5M2>;
using F8E5M2FNUZ = lowp::Code<lowp::E5M2FNUZ>;
using F4E2M1 = lowp::Code<lowp::E2M1>;
using F6E2M3 = lowp::Code<lowp::E2M3>;
using F6E3M2 = lowp::Code<lowp::E3M2>;
using F8E8M0 = lowp::E8M0Code;
// clang-format off
#define ORTL_CAST(S, D) template void cast<S, D>(const S*, D*, int64_t, Parallel&, const CastParams&);
#define ORTL_CAST_FROM(S)                                                                        \
  ORTL_CAST(S, float) ORTL_CAST(S, double) ORTL_CAST(S, int8_t) ORTL_CAST(S, uint8_t)           \
  ORTL_CAST(S, int16_t) ORTL_CAST(S, uint16_t) ORTL_CAST(S, int32_t) ORTL_CAST(S, uint32_t)     \
  ORTL_CAST(S, int64_t) ORTL_CAST(S, uint64_t) ORTL_CAST(S, Half) ORTL_CAST(S, BFloat16)        \
  ORTL_CAST(S, Bool) ORTL_CAST(S, F8E4M3FN) ORTL_CAST(S, F8E4M3FNUZ) ORTL_CAST(S, F8E5M2)       \
  ORTL_CAST(S, F8E5M2FNUZ) ORTL_CAST(S, F4E2M1) ORTL_CAST(S, F8E8M0) ORTL_CAST(S, F6E2M3)       \
  ORTL_CAST(S, F6E3M2)
// clang-format on
ORTL_CAST_FROM(float)
ORTL_CAST_FROM(double)
ORTL_CAST_FROM(int8_t)
ORTL_CAST_FROM(uint8_t)
ORTL_CAST_FROM(int16_t)
ORTL_CAST_FROM(uint16_t)
ORTL_CAST_FROM(int32_t)
ORTL_CAST_FROM(uint32_t)
ORTL_CAST_FROM(int64_t)
ORTL_CAST_FROM(uint64_t)
ORTL_CAST_FROM(Half)
ORTL_CAST_FROM(BFloat16)
ORTL_CAST_FROM(Bool)
ORTL_CAST_FROM(F8E4M3FN)
ORTL_CAST_FROM(F8E4M3FNUZ)
ORTL_CAST_FROM(F8E5M2)
ORTL_CAST_FROM(F8E5M2FNUZ)
ORTL_CAST_FROM(F4E2M1)
ORTL_CAST_FROM(F8E8M0)
ORTL_CAST_FROM(F6E2M3)
ORTL_CAST_FROM(F6E3M2)
#undef ORTL_CAST_FROM
#undef ORTL_CAST

}  // namespace ortl::kernels
