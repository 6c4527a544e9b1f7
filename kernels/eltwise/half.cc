// Bulk 16-bit float conversions, used by Cast and by the ops that compute float16 / bfloat16 in
// float. float16 goes through F16C when the host has the AVX2 tier (half_avx2.cc), else through
// the branch-free portable conversions of half.h, which the compiler vectorizes.
#include "kernels/eltwise/half.h"

#include "kernels/base/isa.h"

namespace ortl::kernels {

void half_to_float_f16c(const uint16_t* src, float* dst, int64_t n);  // half_avx2.cc
void float_to_half_f16c(const float* src, uint16_t* dst, int64_t n);

namespace {
void half_to_float_generic(const uint16_t* src, float* dst, int64_t n) {
  for (int64_t i = 0; i < n; ++i) dst[i] = half_bits_to_float(src[i]);
}
void float_to_half_generic(const float* src, uint16_t* dst, int64_t n) {
  for (int64_t i = 0; i < n; ++i) dst[i] = float_to_half_bits(src[i]);
}
bool use_f16c() {
  static const bool yes = (active_isa() & kIsaAvx2) != 0;
  return yes;
}
}  // namespace

void half_to_float(const uint16_t* src, float* dst, int64_t n) {
  (use_f16c() ? half_to_float_f16c : half_to_float_generic)(src, dst, n);
}
void float_to_half(const float* src, uint16_t* dst, int64_t n) {
  (use_f16c() ? float_to_half_f16c : float_to_half_generic)(src, dst, n);
}
void bf16_to_float(const uint16_t* src, float* dst, int64_t n) {
  for (int64_t i = 0; i < n; ++i) dst[i] = bf16_bits_to_float(src[i]);
}
void float_to_bf16(const float* src, uint16_t* dst, int64_t n) {
  for (int64_t i = 0; i < n; ++i) dst[i] = float_to_bf16_bits(src[i]);
}

}  // namespace ortl::kernels
