// Branch-free float approximations of exp, tanh and erf that the compiler vectorizes (libm's
// scalar calls do not). Accuracy against correctly rounded results, measured by
// tests/math/fast_math_test.cc over the whole float range:
//   exp_f32  <= 2 ulp (Cephes expf polynomial, Cody-Waite reduction; scaled in two steps so
//            results down to subnormals and up to inf come out right)
//   tanh_f32 <= 7 ulp, worst where tanh is within 1e-4 of +-1 (Eigen's 13/6 rational)
//   erf_f32  <= 8 ulp, likewise near +-1 (Eigen's 13/8 rational on [-4, 4])
//   erfc_f32 relative error < 1.2e-7 + the rounding of z^2 inside exp (~z^2 * 6e-8), so no
//            cancellation in the tails (Numerical Recipes' erfcc); Gelu uses it
//            (0.5 * (1 + erf(z)) = 0.5 * erfc(-z) loses all digits below x = -5 otherwise)
// i.e. relative error < 5e-7, far inside the 1e-3 of ONNX conformance.
// Functions are static inline (internal linkage): ISA-specific translation units may include this
// header without their copies clashing at link time.
#pragma once

#include <cstdint>
#include <cstring>

namespace ortl::kernels::fastmath {

static inline float bits_to_float(int32_t i) {
  float f;
  std::memcpy(&f, &i, 4);
  return f;
}

static inline float exp_f32(float x) {
  x = x < -104.0f ? -104.0f : x;  // exp(-104) rounds to 0, exp(89) to inf; NaN passes both
  x = x > 89.0f ? 89.0f : x;
  // n = round(x / ln2) by the 1.5 * 2^23 trick (exact for |n| < 2^22, vectorizes without SSE4.1).
  const float kMagic = 12582912.0f;
  const float n = (x * 1.44269504088896341f + kMagic) - kMagic;
  float r = x - n * 0.693359375f;  // ln2 split in two (Cody-Waite): n * hi is exact
  r = r - n * -2.12194440e-4f;
  float p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  p = p * r * r + r + 1.0f;
  // 2^n as two factors so n in [-150, 128] never leaves the normal exponent range.
  const int32_t ni = static_cast<int32_t>(n);
  const int32_t n1 = ni >> 1;
  const int32_t n2 = ni - n1;
  return p * bits_to_float((n1 + 127) << 23) * bits_to_float((n2 + 127) << 23);
}

static inline float sigmoid_f32(float x) { return 1.0f / (1.0f + exp_f32(-x)); }

static inline float tanh_f32(float x) {
  const float kClamp = 7.90531110763549805f;  // tanh rounds to +-1 beyond this
  const float xc = x > kClamp ? kClamp : (x < -kClamp ? -kClamp : x);
  const float x2 = xc * xc;
  float p = -2.76076847742355e-16f;
  p = p * x2 + 2.00018790482477e-13f;
  p = p * x2 + -8.60467152213735e-11f;
  p = p * x2 + 5.12229709037114e-08f;
  p = p * x2 + 1.48572235717979e-05f;
  p = p * x2 + 6.37261928875436e-04f;
  p = p * x2 + 4.89352455891786e-03f;
  p = p * xc;
  float q = 1.19825839466702e-06f;
  q = q * x2 + 1.18534705686654e-04f;
  q = q * x2 + 2.26843463243900e-03f;
  q = q * x2 + 4.89352518554385e-03f;
  const float t = p / q;
  // tiny |x|: tanh(x) = x to float precision (keeps -0 and subnormals exact)
  const float ax = x < 0 ? -x : x;
  return ax < 0.0004f ? x : t;
}

static inline float erf_f32(float x) {
  const float xc = x > 4.0f ? 4.0f : (x < -4.0f ? -4.0f : x);
  const float x2 = xc * xc;
  float p = -2.72614225801306e-10f;
  p = p * x2 + 2.77068142495902e-08f;
  p = p * x2 + -2.10102402082508e-06f;
  p = p * x2 + -5.69250639462346e-05f;
  p = p * x2 + -7.34990630326855e-04f;
  p = p * x2 + -2.95459980854025e-03f;
  p = p * x2 + -1.60960333262415e-02f;
  p = p * xc;
  float q = -1.45660718464996e-05f;
  q = q * x2 + -2.13374055278905e-04f;
  q = q * x2 + -1.68282697438203e-03f;
  q = q * x2 + -7.37332916720468e-03f;
  q = q * x2 + -1.42647390514189e-02f;
  return p / q;
}

static inline float erfc_f32(float x) {
  const float z = x < 0 ? -x : x;
  const float t = 1.0f / (1.0f + 0.5f * z);
  float p = 0.17087277f;
  p = p * t + -0.82215223f;
  p = p * t + 1.48851587f;
  p = p * t + -1.13520398f;
  p = p * t + 0.27886807f;
  p = p * t + -0.18628806f;
  p = p * t + 0.09678418f;
  p = p * t + 0.37409196f;
  p = p * t + 1.00002368f;
  p = p * t + -1.26551223f;
  const float r = t * exp_f32(p - z * z);
  return x < 0 ? 2.0f - r : r;
}

}  // namespace ortl::kernels::fastmath
