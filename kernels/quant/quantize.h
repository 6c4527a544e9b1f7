// QuantizeLinear / DequantizeLinear element loops and the requantize step of the QLinear ops.
//
//   quantize:   y = saturate(round(x / scale) + zero_point)   (round half to even)
//   dequantize: y = (x - zero_point) * scale
//
// x is viewed as [outer, axis_len, inner] around the quantization axis. Element (o, a, i) uses
// the scale / zero point at o * s_outer + (a / block) * s_axis + i * s_inner, which covers the
// three granularities with one loop: per-tensor (all strides 0), per-axis (block 1, s_axis 1)
// and blocked (scale shaped like x with ceil(axis_len / block) along the axis).
// Templates over the quantized type's codec (qtypes.h) and the float element type; the maths
// runs in double, which holds every quantized value and float product exactly, and rounds once
// to the precision asked for.
#pragma once

#include <cstdint>

#include "kernels/quant/qtypes.h"

namespace ortl::kernels {

struct QuantLayout {
  int64_t outer = 1, axis_len = 1, inner = 1;
  int64_t block = 1;
  int64_t s_outer = 0, s_axis = 0, s_inner = 0;

  int64_t numel() const { return outer * axis_len * inner; }
};

// Calls fn(x_index, param_index) for every element, in order.
template <class F>
inline void for_each_quant_element(const QuantLayout& l, F&& fn) {
  int64_t i = 0;
  for (int64_t o = 0; o < l.outer; ++o) {
    for (int64_t a = 0; a < l.axis_len; ++a) {
      const int64_t base = o * l.s_outer + (a / l.block) * l.s_axis;
      for (int64_t j = 0; j < l.inner; ++j, ++i) fn(i, base + j * l.s_inner);
    }
  }
}

// x: numel elements of X (float, int32, Half, BFloat16); scale: the scales widened to double;
// zero_point: a Codec buffer or null (0). The quotient x / scale is computed at `precision`
// (operands and result rounded to it), as the spec's `precision` attribute defines.
template <class Codec, class X>
void quantize_linear(const QuantLayout& l, const X* x, const double* scale, const void* zero_point, Precision precision,
                     bool saturate, void* y) {
  for_each_quant_element(l, [&](int64_t i, int64_t p) {
    const double q = round_to(precision, round_to(precision, to_double(x[i])) / round_to(precision, scale[p]));
    const double zp = zero_point ? Codec::load(zero_point, p) : 0.0;
    if constexpr (Codec::kInteger) {
      // round(q) + zp, not round(q + zp): equal for integer zp, and the spec's order.
      Codec::store(y, i, std::nearbyint(q) + zp, saturate);
    } else {
      // A zero zero point adds nothing, keeping -0 (x + 0.0 would make it +0).
      Codec::store(y, i, zp != 0 ? q + zp : q, saturate);
    }
  });
}

// Y is float, Half or BFloat16; the product is rounded once to it.
template <class Codec, class Y>
void dequantize_linear(const QuantLayout& l, const void* x, const double* scale, const void* zero_point, Y* y) {
  for_each_quant_element(l, [&](int64_t i, int64_t p) {
    const double zp = zero_point ? Codec::load(zero_point, p) : 0.0;
    y[i] = from_double<Y>((Codec::load(x, i) - zp) * scale[p]);
  });
}

// The QLinear* output step on an int32 accumulator block acc [rows, cols]:
//   dst[r, c] = saturate(round(acc[r, c] * multiplier) + zero_point),
//   multiplier = row_scale[r * row_stride] * col_scale[c * col_stride] / out_scale,
// the multiplier computed at `precision` (the scales' type, as the ONNX reference does) and the
// product in double. Strides 0 give a per-tensor scale. dst is a Codec buffer, row-major.
template <class Codec>
void requantize(int64_t rows, int64_t cols, const int32_t* acc, const double* row_scale, int64_t row_stride,
                const double* col_scale, int64_t col_stride, double out_scale, double zero_point, Precision precision,
                void* dst) {
  for (int64_t r = 0; r < rows; ++r) {
    for (int64_t c = 0; c < cols; ++c) {
      const double rc = round_to(precision, row_scale[r * row_stride] * col_scale[c * col_stride]);
      const double mult = round_to(precision, rc / out_scale);
      const int64_t i = r * cols + c;
      Codec::store(dst, i, std::nearbyint(static_cast<double>(acc[i]) * mult) + zero_point, true);
    }
  }
}

// DynamicQuantizeLinear: scale and zero point from x's range widened to include 0, then uint8
// quantization. float arithmetic throughout, step by step as the spec (and the ONNX reference)
// writes it, so the scale and zero point match bit for bit.
void dynamic_quantize_u8(const float* x, int64_t n, uint8_t* y, float* scale, uint8_t* zero_point);

}  // namespace ortl::kernels
