// The NCHWc conv epilogue on one vector of accumulators, applied in registers before the store
// by the direct conv (nchwc_conv_impl.h), the depthwise conv (nchwc_depthwise_impl.h) and the
// Winograd output transform (nchwc_winograd_impl.h). Included by every per-ISA translation unit;
// everything is in an anonymous namespace (no AVX-compiled inline function can be picked by the
// linker for a baseline path).
//
// Element rule (ConvEpilogue): y = act(acc + sum), bias already in acc. V is any GCC vector of
// floats: the conv traits' __m512 / __m256 (GCC vector types too) or plain vector_size types.
//
// SiLU: x / (1 + exp(-x)), x clamped to [-87, 104] inside exp (outside, the result is x, or
// |y| < 1e-36, as the eltwise x / (1 + exp_f32(-x)), which gives -0 below -89). exp: fast_math.h's
// scheme (Cody-Waite reduction, 2^n applied in two factors, or by vscalefps on AVX-512) with a
// degree-6 polynomial. 1 / (1 + e): vrcp14ps (AVX-512) or vrcpps (AVX2) and one Newton step, a
// division on the baseline (vdivps zmm would bound the loop). Relative error against the double
// rule, x in [-87, 104]: < 2e-7 on every build (the eltwise SiLU: 5e-7). Per zmm: 19 ops, no call and
// no reload of the stored tile (the old path ran conv_epilogue_row, the eltwise kernel, on each
// stored row: dw3 32x112 +SiLU 268 us, the conv alone 96).
#pragma once

#include <cstdint>
#include <type_traits>

#include "kernels/conv/conv.h"

#if defined(__AVX512F__) || defined(__AVX2__)
#include <immintrin.h>
#endif

// The vector helpers are internal and inlined; no 64-byte vector crosses an ABI boundary.
#pragma GCC diagnostic ignored "-Wpsabi"

namespace ortl::kernels::nchwc_epi {
namespace {

using Act = ConvEpilogue::Act;

// The int32 vector of V's size (bit patterns of 2^n).
template <int kBytes>
struct IntVec;
template <>
struct IntVec<16> {
  typedef int32_t type __attribute__((vector_size(16)));
};
template <>
struct IntVec<32> {
  typedef int32_t type __attribute__((vector_size(32)));
};
template <>
struct IntVec<64> {
  typedef int32_t type __attribute__((vector_size(64)));
};

// The plain float vector of kBytes (for the may_alias __m256 / __m512 of the conv traits).
template <int kBytes>
struct FloatVec {
  typedef float type __attribute__((vector_size(kBytes)));
};

// x in every lane (x - 0, not 0 + x, which turns -0 into +0).
template <class V>
inline V splat(float x) {
  return x - V{};
}

// max(a, b) / min(a, b) as vmaxps / vminps: a if either is NaN, as `b < a ? a : b` (GCC keeps
// that ternary as a compare and a blend).
template <class V>
inline V vmax(V a, V b) {
#if defined(__AVX512F__)
  if constexpr (sizeof(V) == 64) return (V)_mm512_maskz_max_ps(0xFFFF, (__m512)b, (__m512)a);
#endif
#if defined(__AVX__)
  if constexpr (sizeof(V) == 32) return (V)_mm256_max_ps((__m256)b, (__m256)a);
#endif
  return b < a ? a : b;
}
template <class V>
inline V vmin(V a, V b) {
#if defined(__AVX512F__)
  if constexpr (sizeof(V) == 64) return (V)_mm512_maskz_min_ps(0xFFFF, (__m512)b, (__m512)a);
#endif
#if defined(__AVX__)
  if constexpr (sizeof(V) == 32) return (V)_mm256_min_ps((__m256)b, (__m256)a);
#endif
  return b > a ? a : b;
}

// exp(t) for t in [-104, 87] (NaN passes through): t = n ln2 + r, |r| <= ln2 / 2, exp(r) =
// 1 + r + r^2 q(r), q of degree 4 fitted for relative error (9.5e-9 in exact arithmetic, the
// float evaluation gives 1.2e-7, the same as fast_math.h's degree-7 Cephes polynomial).
template <class V>
inline V exp_range(V t) {
  // n = round(t / ln2) (the 1.5 * 2^23 trick), r = t - n ln2 in two parts (Cody-Waite).
  const V magic = splat<V>(12582912.f);
  const V n = (t * 1.44269504088896341f + magic) - magic;
  V r = t - n * 0.693359375f;
  r = r - n * -2.12194440e-4f;
  V q = splat<V>(1.3554306934e-3f);
  q = q * r + 8.3646429703e-3f;
  q = q * r + 4.1672319174e-2f;
  q = q * r + 1.6666556895e-1f;
  q = q * r + 4.9999979138e-1f;
  const V p = q * (r * r) + (r + 1.f);
#if defined(__AVX512F__)
  // The zero-masked form: the plain one expands through _mm512_undefined_ps, which GCC 12
  // reports as -Wmaybe-uninitialized.
  if constexpr (sizeof(V) == 64) return (V)_mm512_maskz_scalef_ps(0xFFFF, (__m512)p, (__m512)n);
#endif
  // 2^n in two factors so n in [-150, 127] stays in the normal exponent range.
  using I = typename IntVec<sizeof(V)>::type;
  const I ni = __builtin_convertvector(n, I);
  const I n1 = ni >> 1, n2 = ni - n1;
  return p * (V)((n1 + 127) << 23) * (V)((n2 + 127) << 23);
}

// 1 / d for d >= 1 (d < 2^126: both approximations flush larger d to 0).
template <class V>
inline V recip(V d) {
#if defined(__AVX512F__)
  if constexpr (sizeof(V) == 64) {
    const V r = (V)_mm512_maskz_rcp14_ps(0xFFFF, (__m512)d);
    return r + r * (1.f - d * r);
  }
#endif
#if defined(__AVX__)
  if constexpr (sizeof(V) == 32) {
    const V r = (V)_mm256_rcp_ps((__m256)d);
    return r + r * (1.f - d * r);
  }
#endif
  return 1.f / d;
}

template <class V>
inline V silu(V x) {
  // x in [-87, 104]: exp(-x) stays below 2^126 (1 + e and its reciprocal too) and rounds to 0 above.
  const V xc = vmin(vmax(x, splat<V>(-87.f)), splat<V>(104.f));
  return x * recip(1.f + exp_range(-xc));
}

template <class V>
inline V hard_swish(V x) {
  return x * vmin(vmax(x * (1.f / 6.f) + 0.5f, V{}), splat<V>(1.f));
}

// Per-call constants: Clip bounds [lo, hi], or the LeakyRelu slope in lo.
template <class V>
struct Params {
  V lo, hi;
  explicit Params(const ConvEpilogue& ep) : lo(splat<V>(ep.alpha)), hi(splat<V>(ep.beta)) {}
};

// act(v) with a compile-time activation (the conv tiles are instantiated per activation).
template <Act kAct, class V>
inline V act(V v, const Params<V>& k) {
  if constexpr (kAct == Act::kRelu) {
    return vmax(v, V{});
  } else if constexpr (kAct == Act::kClip) {
    return vmin(vmax(v, k.lo), k.hi);
  } else if constexpr (kAct == Act::kLeakyRelu) {
    return v < 0.f ? v * k.lo : v;
  } else if constexpr (kAct == Act::kHardSwish) {
    return hard_swish(v);
  } else if constexpr (kAct == Act::kSilu) {
    return silu(v);
  } else {
    return v;
  }
}

// f(std::integral_constant<Act, a>()) for the run-time activation a: one switch per call, each
// case its own instantiation of f's body.
template <class F>
__attribute__((always_inline)) inline void dispatch(Act a, F&& f) {
  switch (a) {
    case Act::kRelu: f(std::integral_constant<Act, Act::kRelu>()); break;
    case Act::kClip: f(std::integral_constant<Act, Act::kClip>()); break;
    case Act::kLeakyRelu: f(std::integral_constant<Act, Act::kLeakyRelu>()); break;
    case Act::kHardSwish: f(std::integral_constant<Act, Act::kHardSwish>()); break;
    case Act::kSilu: f(std::integral_constant<Act, Act::kSilu>()); break;
    default: f(std::integral_constant<Act, Act::kNone>()); break;
  }
}

}  // namespace
}  // namespace ortl::kernels::nchwc_epi
