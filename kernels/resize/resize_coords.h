// Resize coordinate transforms and interpolation weights, shared by the CPU kernels, the
// reference and (later) the CUDA kernels, so every backend maps output pixels to the same source
// coordinates and weights.
//
// All maths is in double, as in onnx/reference/ops/op_resize.py: the scale is the float32 scale
// widened exactly to double (or out/in in double when sizes were given), so nearest-mode rounding
// decisions at exact .5 boundaries match the reference bit for bit. The tables built from these
// functions are computed once per run per axis, so double costs nothing in the inner loops.
#pragma once

#include <cmath>
#include <cstdint>

#if defined(__CUDACC__)
#define ORTL_HD __host__ __device__
#else
#define ORTL_HD
#endif

namespace ortl::kernels {

enum class ResizeMode : int { kNearest, kLinear, kCubic };

enum class ResizeCoordMode : int {
  kHalfPixel,
  kHalfPixelSymmetric,
  kPytorchHalfPixel,
  kAlignCorners,
  kAsymmetric,
  kTfCropAndResize,
  kTfHalfPixelForNn,  // opset 11-12 only (deprecated): (y + 0.5) / scale
};

enum class ResizeNearestMode : int {
  kRoundPreferFloor,
  kRoundPreferCeil,
  kFloor,
  kCeil,
  kSimple,  // Resize-10 / Upsample: truncate when upsampling, ceil when downsampling (as ORT)
};

// Source coordinate of output index y along one axis.
//   scale:   the axis scale (output_width / in_len as the reference defines it)
//   out_len: the integer output length; the fractional output width is scale * in_len
//   roi_*:   the axis' region of interest (tf_crop_and_resize only), normalised to [0, 1]
ORTL_HD inline double resize_source_coord(ResizeCoordMode mode, double y, double scale, int64_t in_len, int64_t out_len,
                                          double roi_start, double roi_end) {
  const double in_w = static_cast<double>(in_len);
  const double out_w = scale * in_w;  // may be fractional when scales were given
  switch (mode) {
    case ResizeCoordMode::kAlignCorners: return out_w == 1 ? 0.0 : y * (in_w - 1) / (out_w - 1);
    case ResizeCoordMode::kAsymmetric: return y / scale;
    case ResizeCoordMode::kTfCropAndResize: {
      // The reference reads roi as float32 and forms (end - start) and start * (in - 1) in
      // float32 before widening; doing the same keeps the extrapolation test (x < 0 or
      // x > in - 1) identical at the borders, where one float32 rounding flips it.
      const float span = static_cast<float>(roi_end) - static_cast<float>(roi_start);
      const float in_m1 = static_cast<float>(in_len - 1);
      const float start = static_cast<float>(roi_start) * in_m1;
      const double x = out_w == 1 ? static_cast<double>(span * in_m1 / 2.f)
                                  : y * static_cast<double>(span) * (in_w - 1) / (out_w - 1);
      return x + static_cast<double>(start);
    }
    case ResizeCoordMode::kPytorchHalfPixel: return out_w == 1 ? -0.5 : (y + 0.5) / scale - 0.5;
    case ResizeCoordMode::kHalfPixelSymmetric:
      // Centres the implicit ROI on the output canvas; differs from half_pixel only when the
      // integer output length was rounded from a fractional one. The spec's
      // in/2 * (1 - out_len / out_w) + (y + 0.5) / scale - 0.5 simplifies to the form below,
      // which lands exactly on integers where the long form is an ulp off (1.0000000000000002).
      return (in_w - 1) / 2 + (y + 0.5 - static_cast<double>(out_len) / 2) / scale;
    case ResizeCoordMode::kTfHalfPixelForNn: return (y + 0.5) / scale;
    case ResizeCoordMode::kHalfPixel:
    default: return (y + 0.5) / scale - 0.5;
  }
}

// tf_crop_and_resize writes the extrapolation value where the source falls outside the input.
ORTL_HD inline bool resize_is_extrapolated(ResizeCoordMode mode, double x, int64_t in_len) {
  return mode == ResizeCoordMode::kTfCropAndResize && (x < 0 || x > static_cast<double>(in_len - 1));
}

// Unclamped nearest source index for source coordinate x. At an exact integer the reference's
// ratio is 1 and every mode picks x itself.
ORTL_HD inline int64_t resize_nearest_index(ResizeNearestMode mode, double x, bool downsample) {
  const double fl = std::floor(x);
  if (x == fl) return static_cast<int64_t>(fl);
  const double r = x - fl;
  const int64_t f = static_cast<int64_t>(fl);
  switch (mode) {
    case ResizeNearestMode::kRoundPreferCeil: return r < 0.5 ? f : f + 1;
    case ResizeNearestMode::kFloor: return f;
    case ResizeNearestMode::kCeil: return f + 1;
    case ResizeNearestMode::kSimple: return downsample ? f + 1 : static_cast<int64_t>(x);  // trunc
    case ResizeNearestMode::kRoundPreferFloor:
    default: return r <= 0.5 ? f : f + 1;
  }
}

// Keys cubic convolution kernel with parameter a (-0.75 as in TF/ORT, -0.5 as in PIL).
ORTL_HD inline double resize_cubic_weight(double x, double a) {
  x = std::fabs(x);
  if (x <= 1) return ((a + 2) * x - (a + 3)) * x * x + 1;
  if (x < 2) return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a;
  return 0;
}

ORTL_HD inline double resize_linear_weight(double x) {
  x = std::fabs(x);
  return x < 1 ? 1 - x : 0;
}

// The source taps of one output pixel for linear/cubic: `taps` consecutive indices starting at
// first (before clamping into the input), where x = base + ratio, ratio in (0, 1] (the reference
// prefers the pixel left of x, so an integer x gets ratio 1). Tap t sits at distance
// (first + t - x) from x, and its weight is kernel(scale' * distance) with scale' = min(scale, 1)
// under antialias, 1 otherwise.
struct ResizeTapWindow {
  int64_t first;
  int taps;
  double filter_scale;
};

ORTL_HD inline ResizeTapWindow resize_tap_window(ResizeMode mode, bool antialias, double x, double scale) {
  const double fl = std::floor(x);
  const int64_t base = x == fl ? static_cast<int64_t>(fl) - 1 : static_cast<int64_t>(fl);
  const double support = mode == ResizeMode::kCubic ? 2.0 : 1.0;
  if (!antialias) {
    const int half = mode == ResizeMode::kCubic ? 2 : 1;
    return {base - half + 1, 2 * half, 1.0};
  }
  // Antialias widens the filter by 1/scale when downsampling: start = floor(-support/s) + 1
  // relative to base, footprint 2 - 2*start taps (onnx reference _*_coeffs_antialias).
  const double s = scale < 1 ? scale : 1.0;
  const int64_t start = static_cast<int64_t>(std::floor(-support / s)) + 1;
  return {base + start, static_cast<int>(2 - 2 * start), s};
}

// Weight of the tap at source index i for source coordinate x (unnormalised).
ORTL_HD inline double resize_tap_weight(ResizeMode mode, double cubic_a, double filter_scale, double i, double x) {
  const double d = (i - x) * filter_scale;
  return mode == ResizeMode::kCubic ? resize_cubic_weight(d, cubic_a) : resize_linear_weight(d);
}

}  // namespace ortl::kernels
