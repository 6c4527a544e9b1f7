// float16 / bfloat16 <-> float / double conversions, bit-exact and round-to-nearest-even.
//
// Narrowing goes through one generic routine on the double's bits (any float widens to double
// exactly), so float -> half and double -> half both round once, as IEEE requires; rounding
// double -> float -> half would round twice and miss ties. NaN stays NaN (quiet), overflow gives
// inf, tiny values become subnormals or signed zero.
#pragma once

#include <cstdint>
#include <cstring>

namespace ortl::kernels {

// Storage tags so templates can tell 16-bit floats from uint16_t.
struct Half {
  uint16_t bits;
};
struct BFloat16 {
  uint16_t bits;
};
// bool storage: one byte, any nonzero value reads as true.
struct Bool {
  uint8_t v;
};

inline uint32_t f32_bits(float f) {
  uint32_t b;
  std::memcpy(&b, &f, 4);
  return b;
}
inline float f32_from_bits(uint32_t b) {
  float f;
  std::memcpy(&f, &b, 4);
  return f;
}

// Branch-free (vectorizable) and exact for every pattern, NaN payloads included: normals are
// rebiased by one multiply by 2^-112, subnormals rebuilt by a float subtraction (Maratyszcza's
// FP16 library).
inline float half_bits_to_float(uint16_t h) {
  const uint32_t w = static_cast<uint32_t>(h) << 16;
  const uint32_t sign = w & 0x80000000u;
  const uint32_t two_w = w + w;
  const float normalized = f32_from_bits((two_w >> 4) + (0xe0u << 23)) * 0x1.0p-112f;
  const float denormalized = f32_from_bits((two_w >> 17) | (126u << 23)) - 0.5f;
  return f32_from_bits(sign | (two_w < (1u << 27) ? f32_bits(denormalized) : f32_bits(normalized)));
}

inline float bf16_bits_to_float(uint16_t h) {
  const uint32_t bits = static_cast<uint32_t>(h) << 16;
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

// Rounds a double to a binary format with kExp exponent bits and kMant mantissa bits (half: 5/10,
// bfloat16: 8/7), to nearest even; returns the 16-bit pattern.
template <int kExp, int kMant>
inline uint16_t narrow_float_bits(double x) {
  uint64_t b;
  std::memcpy(&b, &x, 8);
  const uint32_t sign = static_cast<uint32_t>(b >> 63) << (kExp + kMant);
  const int exp = static_cast<int>((b >> 52) & 0x7ff);
  const uint64_t mant = b & ((uint64_t{1} << 52) - 1);
  constexpr uint32_t kExpMask = ((1u << kExp) - 1) << kMant;
  if (exp == 0x7ff) {  // inf or NaN (NaN keeps its top payload bits and is forced quiet)
    if (mant == 0) return static_cast<uint16_t>(sign | kExpMask);
    return static_cast<uint16_t>(sign | kExpMask | (1u << (kMant - 1)) | static_cast<uint32_t>(mant >> (52 - kMant)));
  }
  if (exp == 0) return static_cast<uint16_t>(sign);  // double subnormals are far below range
  constexpr int kBias = (1 << (kExp - 1)) - 1;
  const int e = exp - 1023 + kBias;  // target biased exponent
  if (e >= (1 << kExp) - 1) return static_cast<uint16_t>(sign | kExpMask);
  const uint64_t m = mant | (uint64_t{1} << 52);  // 53 significant bits
  // Normal results keep kMant fraction bits; subnormal ones (e <= 0) lose 1 - e more.
  const int shift = 52 - kMant + (e <= 0 ? 1 - e : 0);
  if (shift > 53) return static_cast<uint16_t>(sign);  // below half the smallest subnormal
  uint64_t q = m >> shift;
  const uint64_t rem = m & ((uint64_t{1} << shift) - 1);
  const uint64_t halfway = uint64_t{1} << (shift - 1);
  if (rem > halfway || (rem == halfway && (q & 1))) ++q;
  // For normals q carries the implicit bit at position kMant; adding the exponent field minus
  // that bit yields the encoding, and a rounding carry bumps the exponent (up to inf) by itself.
  const uint64_t enc = e <= 0 ? q : (static_cast<uint64_t>(e) << kMant) + q - (uint64_t{1} << kMant);
  return static_cast<uint16_t>(sign | static_cast<uint32_t>(enc));
}

inline uint16_t double_to_half_bits(double x) { return narrow_float_bits<5, 10>(x); }
inline uint16_t double_to_bf16_bits(double x) { return narrow_float_bits<8, 7>(x); }
// float -> half without branches (vectorizable), round to nearest even done by the FPU: the
// value is scaled so that adding a power of two aligned with the half's last mantissa bit rounds
// away exactly the bits a half cannot hold (Maratyszcza's FP16 library). NaN -> quiet 0x7e00.
inline uint16_t float_to_half_bits(float x) {
  const float base0 = (__builtin_fabsf(x) * 0x1.0p+112f) * 0x1.0p-110f;  // saturates to inf
  const uint32_t w = f32_bits(x);
  // Signed 32-bit compares and selects only: SSE2 has them, so the loop vectorizes everywhere.
  const int32_t abs_w = static_cast<int32_t>(w & 0x7fffffffu);
  int32_t bias = abs_w & 0x7f800000;
  bias = bias < 0x38800000 ? 0x38800000 : bias;
  const uint32_t bits = f32_bits(f32_from_bits(static_cast<uint32_t>(bias) + 0x07800000u) + base0);
  const int32_t nonsign = static_cast<int32_t>(((bits >> 13) & 0x7c00u) + (bits & 0x0fffu));
  // NaN -> 0x7e00 through a mask: a `?:` here lets GCC move the float add above into one arm,
  // where it may no longer speculate it (FP exceptions), and the loop stops vectorizing.
  const int32_t nan_mask = -static_cast<int32_t>(abs_w > 0x7f800000);
  const int32_t r = (0x7e00 & nan_mask) | (nonsign & ~nan_mask);
  return static_cast<uint16_t>((w >> 16 & 0x8000u) | static_cast<uint32_t>(r));
}

// float -> bfloat16 directly on the float's bits (hot path of bf16 models).
inline uint16_t float_to_bf16_bits(float x) {
  const uint32_t b = f32_bits(x);
  const uint32_t rounded = (b + 0x7fffu + ((b >> 16) & 1u)) >> 16;
  return static_cast<uint16_t>((b & 0x7fffffffu) > 0x7f800000u ? (b >> 16) | 0x40u : rounded);  // NaN: quiet
}

// Bulk conversions (F16C for float16 where the host has it, else vectorized loops).
void half_to_float(const uint16_t* src, float* dst, int64_t n);
void float_to_half(const float* src, uint16_t* dst, int64_t n);
void bf16_to_float(const uint16_t* src, float* dst, int64_t n);
void float_to_bf16(const float* src, uint16_t* dst, int64_t n);

}  // namespace ortl::kernels
