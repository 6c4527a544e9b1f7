// Scalar converters for ONNX's sub-16-bit types: the float8 flavours, float4e2m1, float8e8m0 and
// the 4- and 2-bit integers.
//
// Layout: ort-lite keeps every one of these unpacked, one element per byte. A minifloat byte holds
// its bit pattern in the low bits (float4: bits 0-3); an int4/int2 byte holds the value
// sign-extended (an int8 in [-8, 7] / [-2, 1]), a uint4/uint2 byte the value (a uint8 in [0, 15] /
// [0, 3]). Packing to ONNX's 2- or 4-per-byte storage happens only at the file boundary.
//
// Numerics follow the onnx reference (ml_dtypes + onnx.numpy_helper): narrowing rounds once to
// nearest even from the source's exact value (double holds every float, half and int32 exactly);
// `saturate` clamps out-of-range values and infinities to +-max instead of giving inf / NaN.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

namespace ortl::kernels::lowp {

// How a minifloat spends its top exponent code.
enum class Special : uint8_t {
  kIeee,  // E5M2: exponent all ones is inf (mantissa 0) or NaN
  kFn,    // E4M3FN: no inf; only S.1111.111 is NaN
  kFnuz,  // E4M3FNUZ, E5M2FNUZ: no inf, no -0; 0x80 is the one NaN
  kNone,  // E2M1, E2M3, E3M2: no inf, no NaN; everything out of range saturates
};

// Sign bit + kExp exponent bits + kMant mantissa bits; kMaxEnc is the largest finite magnitude's
// code, the saturation value.
template <int kExpBits, int kMantBits, int kBiasV, Special kSpecialV, uint8_t kMaxEncV>
struct MiniFloat {
  static constexpr int kExp = kExpBits, kMant = kMantBits, kBias = kBiasV;
  static constexpr Special kSpecial = kSpecialV;
  static constexpr uint8_t kMaxEnc = kMaxEncV;
  static constexpr int kBits = 1 + kExp + kMant;
  static constexpr uint8_t kSign = static_cast<uint8_t>(1u << (kExp + kMant));
  static constexpr uint8_t kMask = static_cast<uint8_t>((1u << kBits) - 1);
};

using E4M3FN = MiniFloat<4, 3, 7, Special::kFn, 0x7e>;       // max 448
using E4M3FNUZ = MiniFloat<4, 3, 8, Special::kFnuz, 0x7f>;   // max 240
using E5M2 = MiniFloat<5, 2, 15, Special::kIeee, 0x7b>;      // max 57344
using E5M2FNUZ = MiniFloat<5, 2, 16, Special::kFnuz, 0x7f>;  // max 57344
using E2M1 = MiniFloat<2, 1, 1, Special::kNone, 0x7>;        // max 6
using E2M3 = MiniFloat<2, 3, 1, Special::kNone, 0x1f>;       // max 7.5
using E3M2 = MiniFloat<3, 2, 3, Special::kNone, 0x1f>;       // max 28

inline uint32_t bits_of(float f) {
  uint32_t b;
  std::memcpy(&b, &f, 4);
  return b;
}
inline float float_of(uint32_t b) {
  float f;
  std::memcpy(&f, &b, 4);
  return f;
}

// Exact value of a code (bits above the format's width are ignored).
template <class F>
inline float to_float(uint8_t code) {
  const uint32_t b = code & F::kMask;
  const bool neg = (b & F::kSign) != 0;
  const uint32_t e = (b >> F::kMant) & ((1u << F::kExp) - 1);
  const uint32_t m = b & ((1u << F::kMant) - 1);
  constexpr uint32_t kTopExp = (1u << F::kExp) - 1, kTopMant = (1u << F::kMant) - 1;
  if constexpr (F::kSpecial == Special::kFnuz) {
    if (b == F::kSign) return std::numeric_limits<float>::quiet_NaN();
  } else if constexpr (F::kSpecial == Special::kFn) {
    if (e == kTopExp && m == kTopMant)
      return neg ? -std::numeric_limits<float>::quiet_NaN() : std::numeric_limits<float>::quiet_NaN();
  } else if constexpr (F::kSpecial == Special::kIeee) {
    if (e == kTopExp) {
      const float v = m ? std::numeric_limits<float>::quiet_NaN() : std::numeric_limits<float>::infinity();
      return neg ? -v : v;
    }
  }
  uint32_t mag;
  if (e == 0) {
    // Subnormal: m * 2^(1 - bias - mant), a product of exact floats.
    constexpr uint32_t kScale = static_cast<uint32_t>(127 + 1 - F::kBias - F::kMant) << 23;
    mag = bits_of(static_cast<float>(m) * float_of(kScale));
  } else {
    mag = ((e - F::kBias + 127) << 23) | (m << (23 - F::kMant));
  }
  return float_of(mag | (neg ? 0x80000000u : 0u));
}

// Nearest code to x (ties to even). Out-of-range values and infinities give +-max when
// `saturate` (always for the kNone formats, which have nothing else), else inf (E5M2) or NaN
// (FN, FNUZ). NaN gives the format's NaN (kNone formats: ml_dtypes' choice, a zero of the
// other sign).
template <class F>
inline uint8_t from_double(double x, bool saturate = true) {
  uint64_t b;
  std::memcpy(&b, &x, 8);
  const bool neg = (b >> 63) != 0;
  const uint8_t sign = neg ? F::kSign : 0;
  const int exp = static_cast<int>((b >> 52) & 0x7ff);
  const uint64_t mant = b & ((uint64_t{1} << 52) - 1);
  const auto overflow = [&]() -> uint8_t {
    if (saturate || F::kSpecial == Special::kNone) return sign | F::kMaxEnc;
    if constexpr (F::kSpecial == Special::kIeee) return sign | static_cast<uint8_t>(((1u << F::kExp) - 1) << F::kMant);
    if constexpr (F::kSpecial == Special::kFn) return sign | 0x7f;
    return 0x80;  // FNUZ
  };
  if (exp == 0x7ff) {
    if (mant == 0) return overflow();
    if constexpr (F::kSpecial == Special::kIeee)
      return sign | static_cast<uint8_t>((((1u << F::kExp) - 1) << F::kMant) | (1u << (F::kMant - 1)));
    if constexpr (F::kSpecial == Special::kFn) return sign | 0x7f;
    if constexpr (F::kSpecial == Special::kFnuz) return 0x80;
    return neg ? 0 : F::kSign;  // kNone
  }
  // The magnitude's code, possibly past kMaxEnc. Double subnormals (exp 0) are far below every
  // format's smallest subnormal: zero.
  uint64_t enc = 0;
  if (exp != 0) {
    const int e = exp - 1023 + F::kBias;  // target biased exponent
    if (e >= 64) return overflow();
    const uint64_t m = mant | (uint64_t{1} << 52);
    // Normal results keep kMant fraction bits; subnormal ones (e <= 0) lose 1 - e more.
    const int shift = 52 - F::kMant + (e <= 0 ? 1 - e : 0);
    if (shift <= 53) {  // else below half the smallest subnormal: zero
      uint64_t q = m >> shift;
      const uint64_t rem = m & ((uint64_t{1} << shift) - 1);
      const uint64_t half = uint64_t{1} << (shift - 1);
      if (rem > half || (rem == half && (q & 1))) ++q;
      // Normal: q holds the implicit bit at kMant; adding the exponent field minus that bit gives
      // the code, and a rounding carry moves into the exponent by itself.
      enc = e <= 0 ? q : (static_cast<uint64_t>(e) << F::kMant) + q - (uint64_t{1} << F::kMant);
    }
  }
  if (enc > F::kMaxEnc) return overflow();
  if (F::kSpecial == Special::kFnuz && enc == 0) return 0;  // no -0: 0x80 is NaN
  return sign | static_cast<uint8_t>(enc);
}

template <class F>
inline uint8_t from_float(float x, bool saturate = true) {
  return from_double<F>(static_cast<double>(x), saturate);
}

// ---- float8e8m0: an unsigned power of two 2^(code - 127); 0xff is NaN ------------------------

inline float e8m0_to_float(uint8_t code) {
  if (code == 0xff) return std::numeric_limits<float>::quiet_NaN();
  return code == 0 ? float_of(0x00400000u) : float_of(static_cast<uint32_t>(code) << 23);  // 2^-127 is subnormal
}

// `round_mode` of Cast 24+: up (away from zero), down (toward zero), nearest (ties up).
enum class E8M0Round : uint8_t { kUp, kDown, kNearest };

// The onnx reference (numpy_helper.to_float8e8m0), bit for bit: it reads the float32's exponent
// field, so the sign is ignored, 0 gives code 0 (2^-127) and NaN and inf give 0xff even when
// saturating (the Cast spec's table says inf -> max; the reference and its tests rule).
// Doubles narrow to float first, as the reference does.
inline uint8_t e8m0_from_float(float x, bool saturate = true, E8M0Round mode = E8M0Round::kUp) {
  const uint32_t b = bits_of(x);
  uint32_t e = (b >> 23) & 0xff;
  if (e == 0xff) return 0xff;
  bool up = false;
  if (mode == E8M0Round::kUp) {
    up = (b & 0x7fffff) != 0;
  } else if (mode == E8M0Round::kNearest) {
    const bool g = (b & 0x400000) != 0, r = (b & 0x200000) != 0, s = (b & 0x1fffff) != 0;
    up = g && (r || s || e > 0);  // normals round half up; subnormals (no implicit 1) half down
  }
  if (up && !(saturate && e == 0xfe)) ++e;
  return static_cast<uint8_t>(e);
}

// Storage tags, so kernel templates can tell a float8 byte from a uint8_t (like Half in half.h).
template <class F>
struct Code {
  uint8_t bits;
};
struct E8M0Code {
  uint8_t bits;
};

// ---- 4- and 2-bit integers -----------------------------------------------------------------

template <int kBitsV, bool kSignedV>
struct SmallInt {
  static constexpr int kBits = kBitsV;
  static constexpr bool kSigned = kSignedV;
  static constexpr int kMin = kSigned ? -(1 << (kBits - 1)) : 0;
  static constexpr int kMax = kSigned ? (1 << (kBits - 1)) - 1 : (1 << kBits) - 1;
};
using Int4 = SmallInt<4, true>;
using UInt4 = SmallInt<4, false>;
using Int2 = SmallInt<2, true>;
using UInt2 = SmallInt<2, false>;

// v modulo 2^bits in the type's range (what Cast does between integers), as the stored byte.
template <class I>
inline uint8_t wrap(int64_t v) {
  const uint8_t low = static_cast<uint8_t>(static_cast<uint64_t>(v) & ((1u << I::kBits) - 1));
  if constexpr (I::kSigned) {
    constexpr int kShift = 8 - I::kBits;
    return static_cast<uint8_t>(static_cast<int8_t>(static_cast<uint8_t>(low << kShift)) >> kShift);
  } else {
    return low;
  }
}

// v clamped to the type's range (QuantizeLinear), as the stored byte.
template <class I>
inline uint8_t saturate(int64_t v) {
  return static_cast<uint8_t>(static_cast<int8_t>(v < I::kMin ? I::kMin : v > I::kMax ? I::kMax : v));
}

// x rounded to nearest even and clamped (NaN -> 0): QuantizeLinear's float -> int4/int2 step.
template <class I>
inline uint8_t round_saturate(float x) {
  if (!(x == x)) return 0;
  const float r = std::nearbyint(x < I::kMin   ? static_cast<float>(I::kMin)
                                 : x > I::kMax ? static_cast<float>(I::kMax)
                                               : x);
  return saturate<I>(static_cast<int64_t>(r));
}

// The stored byte's value (normalises a byte with stray high bits).
template <class I>
inline int value(uint8_t code) {
  return static_cast<int8_t>(wrap<I>(code));
}

}  // namespace ortl::kernels::lowp
