// DynamicQuantizeLinear (quantize.h); QuantizeLinear / DequantizeLinear are header templates.
#include "kernels/quant/quantize.h"

#include <algorithm>
#include <cmath>

namespace ortl::kernels {

void dynamic_quantize_u8(const float* x, int64_t n, uint8_t* y, float* scale, uint8_t* zero_point) {
  float lo = 0.f, hi = 0.f;
  for (int64_t i = 0; i < n; ++i) {
    lo = std::min(lo, x[i]);
    hi = std::max(hi, x[i]);
  }
  const float s = (hi == lo ? 1.f : hi - lo) / 255.f;
  const float zp = std::nearbyint(std::clamp(0.f - lo / s, 0.f, 255.f));
  using U8 = IntCodec<uint8_t>;
  for (int64_t i = 0; i < n; ++i) U8::store(y, i, static_cast<double>(std::nearbyint(x[i] / s)) + zp, true);
  *scale = s;
  U8::store(zero_point, 0, zp, true);
}

}  // namespace ortl::kernels
