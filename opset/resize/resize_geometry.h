// Resize/Upsample attribute parsing and output geometry: scales or sizes (with axes and
// keep_aspect_ratio_policy) and roi become one kernels::ResizeParams with a scale, an output
// length and a roi per axis. Shared by infer() (when the values are known) and run().
#pragma once

#include <cstdint>
#include <vector>

#include "graph/ir.h"
#include "kernels/resize/resize.h"

namespace ortl::opset {

enum class AspectPolicy { kStretch, kNotLarger, kNotSmaller };

struct ResizeAttrs {
  kernels::ResizeMode mode = kernels::ResizeMode::kNearest;
  kernels::ResizeCoordMode coord = kernels::ResizeCoordMode::kHalfPixel;
  kernels::ResizeNearestMode nearest = kernels::ResizeNearestMode::kRoundPreferFloor;
  double cubic_a = -0.75;
  bool exclude_outside = false;
  bool antialias = false;
  float extrapolation_value = 0.f;
  std::vector<int64_t> axes;  // as written (may be negative); empty: every axis
  AspectPolicy policy = AspectPolicy::kStretch;
};

// Parses Resize (opset 10+) or Upsample attributes; throws kInvalidModel on bad values.
ResizeAttrs parse_resize_attrs(const graph::Node& node, int opset, bool upsample);

// The kernel parameters for a concrete input shape. `scales` / `sizes` hold the given input
// (at most one non-empty), one entry per resized axis; `roi` is 2 entries per resized axis or
// empty. Throws kInvalidArgument on inconsistent values.
kernels::ResizeParams resize_geometry(const ResizeAttrs& a, const std::vector<int64_t>& in_shape,
                                      const std::vector<float>& scales, const std::vector<int64_t>& sizes,
                                      const std::vector<float>& roi);

}  // namespace ortl::opset
