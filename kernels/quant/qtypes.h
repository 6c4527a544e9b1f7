// Quantized storage types and the float precisions quantization computes in.
//
// A codec is the one place that knows how a quantized type is stored: load(p, i) reads element i
// of a buffer as a number, store(p, i, v, saturate) writes the real value v. Element access goes
// through an index, not a pointer, so packed sub-byte types (int4, two per byte) fit the same
// interface (ort-lite keeps the sub-byte types unpacked, one per byte, so the codecs below index
// bytes). Kernels are templates over the codec; opset/quant/quant_util.h maps a DType to its
// codec in one switch. Adding a type is one codec here and one case there.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>

#include "kernels/eltwise/half.h"
#include "kernels/eltwise/lowp.h"

namespace ortl::kernels {

// Integer types: store rounds half to even and saturates to the type's range. NaN stores the
// minimum, as numpy's rint-then-clip does on x86 (NaN -> INT_MIN -> clip).
template <class S>
struct IntCodec {
  using Storage = S;
  static constexpr bool kInteger = true;
  static constexpr double kMin = static_cast<double>(std::numeric_limits<S>::min());
  static constexpr double kMax = static_cast<double>(std::numeric_limits<S>::max());

  static double load(const void* p, int64_t i) { return static_cast<double>(static_cast<const S*>(p)[i]); }
  static void store(void* p, int64_t i, double v, bool /*saturate: integers always saturate*/) {
    v = std::nearbyint(v);  // default rounding mode: to nearest, ties to even
    v = v >= kMin ? (v <= kMax ? v : kMax) : kMin;
    static_cast<S*>(p)[i] = static_cast<S>(v);
  }
};

// The 4- and 2-bit integers (lowp::Int4, UInt4, Int2, UInt2), stored unpacked one per byte (the
// value sign-extended to int8 / as a uint8). store rounds half to even and saturates like IntCodec,
// NaN storing the minimum as numpy's rint-then-clip does.
template <class I>
struct SmallIntCodec {
  using Storage = std::conditional_t<I::kSigned, int8_t, uint8_t>;
  static constexpr bool kInteger = true;
  static constexpr double kMin = I::kMin;
  static constexpr double kMax = I::kMax;

  static double load(const void* p, int64_t i) {
    return static_cast<double>(lowp::value<I>(static_cast<const uint8_t*>(p)[i]));
  }
  static void store(void* p, int64_t i, double v, bool /*saturate: integers always saturate*/) {
    v = std::nearbyint(v);
    v = v >= kMin ? (v <= kMax ? v : kMax) : kMin;
    static_cast<uint8_t*>(p)[i] = lowp::saturate<I>(static_cast<int64_t>(v));
  }
};

// The minifloats (lowp::E4M3FN, E4M3FNUZ, E5M2, E5M2FNUZ, E2M1), one code per byte. store rounds
// once to nearest even; out of range values (and infinities) give +-max when `saturate`, else the
// format's inf or NaN (E2M1 has neither and always saturates).
template <class F>
struct FloatCodec {
  using Storage = uint8_t;
  static constexpr bool kInteger = false;

  static double load(const void* p, int64_t i) { return lowp::to_float<F>(static_cast<const uint8_t*>(p)[i]); }
  static void store(void* p, int64_t i, double v, bool saturate) {
    static_cast<uint8_t*>(p)[i] = lowp::from_double<F>(v, saturate);
  }
};

// The precision an operation rounds its result to: QuantizeLinear's division (the `precision`
// attribute, else y_scale's type) and the QLinear* rescale factor (the scales' type).
enum class Precision { kDouble, kFloat, kHalf, kBFloat16 };

// Rounds v (to nearest even) to the precision; exact values pass unchanged.
inline double round_to(Precision p, double v) {
  switch (p) {
    case Precision::kFloat: return static_cast<float>(v);
    case Precision::kHalf: return half_bits_to_float(double_to_half_bits(v));
    case Precision::kBFloat16: return bf16_bits_to_float(double_to_bf16_bits(v));
    case Precision::kDouble: break;
  }
  return v;
}

// The float element types quantization reads and writes: float, int32 (QuantizeLinear's x) and
// the 16-bit float tags, each widened to double exactly or narrowed once (to nearest even).
inline double to_double(float v) { return v; }
inline double to_double(double v) { return v; }
inline double to_double(int32_t v) { return v; }
inline double to_double(Half v) { return half_bits_to_float(v.bits); }
inline double to_double(BFloat16 v) { return bf16_bits_to_float(v.bits); }

template <class T>
T from_double(double v);
template <>
inline float from_double<float>(double v) {
  return static_cast<float>(v);
}
template <>
inline Half from_double<Half>(double v) {
  return Half{double_to_half_bits(v)};
}
template <>
inline BFloat16 from_double<BFloat16>(double v) {
  return BFloat16{double_to_bf16_bits(v)};
}

}  // namespace ortl::kernels
