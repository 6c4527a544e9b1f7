// Resize kernels (ONNX Resize 10-19 and Upsample): nearest, N-d linear and cubic, with every
// coordinate transform, antialias, exclude_outside and tf_crop_and_resize extrapolation.
//
// Layout: dense row-major tensors of any rank; any subset of axes may be resized. The op layer
// (opset/resize) turns scales/sizes/axes/keep_aspect_ratio_policy into a ResizeParams with one
// scale, output length and roi per axis; the kernels only interpolate.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "kernels/base/parallel.h"
#include "kernels/resize/resize_coords.h"

namespace ortl::kernels {

struct ResizeParams {
  ResizeMode mode = ResizeMode::kNearest;
  ResizeCoordMode coord = ResizeCoordMode::kHalfPixel;
  ResizeNearestMode nearest = ResizeNearestMode::kRoundPreferFloor;
  double cubic_a = -0.75;
  bool exclude_outside = false;
  bool antialias = false;
  float extrapolation_value = 0.f;
  std::vector<int64_t> in_shape, out_shape;  // same rank
  std::vector<double> scales;                // per axis
  std::vector<double> roi_start, roi_end;    // per axis; empty unless tf_crop_and_resize
  // Axes to interpolate, in processing order (the reference resizes one axis after the other;
  // the order only matters for tf_crop_and_resize with exclude_outside corner cases).
  std::vector<int> axes;
};

// True when axis a is left as is (same length, scale ~1, full roi): the reference skips it.
bool resize_axis_is_identity(const ResizeParams& p, int a);

// Per-axis interpolation table, built once per run: output index o reads taps indices
// idx[o*taps + t] (clamped into the input) with weights w[o*taps + t]; extrap[o] != 0 writes the
// extrapolation value instead. Nearest tables have one tap whose weight is 0 or 1 (0 only under
// exclude_outside when the chosen pixel lies outside the input).
struct ResizeAxisTable {
  int64_t in_len = 0, out_len = 0;
  int taps = 1;
  std::vector<int64_t> idx;
  std::vector<float> w;
  std::vector<uint8_t> extrap;  // empty when nothing is extrapolated
  bool pure_gather = false;     // nearest with every weight 1 and no extrapolation
};
ResizeAxisTable resize_axis_table(const ResizeParams& p, int axis);

// Element types of linear/cubic: float, double, uint8 and int8 (integers rounded half-to-even
// and saturated, as the reference's saturate_cast does). Nearest moves bytes, so it takes any
// element size.
enum class ResizeType { kF32, kF64, kU8, kI8 };

// Fast path: per-axis tables, then a gather (nearest) or one separable pass per axis.
void resize_f32(const ResizeParams& p, const float* src, float* dst, Parallel& par);
void resize(const ResizeParams& p, ResizeType t, const void* src, void* dst, Parallel& par);
// Nearest for any element size (1, 2, 4, 8 bytes); `fill` (elem_size bytes) is written where
// tf_crop_and_resize extrapolates.
void resize_nearest(const ResizeParams& p, size_t elem_size, const void* fill, const void* src, void* dst,
                    Parallel& par);
// Kernel name for --verbose ("resize_linear_f32", ...).
std::string resize_kernel_name(const ResizeParams& p, ResizeType t);

// Spec-literal reference: every output element recomputes its taps from resize_coords.h and
// combines them in double, axis by axis as the onnx reference does. The oracle for tests.
void resize_ref_f32(const ResizeParams& p, const float* src, float* dst);
void resize_ref(const ResizeParams& p, ResizeType t, const void* src, void* dst);

}  // namespace ortl::kernels
