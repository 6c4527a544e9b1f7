#include "opset/resize/resize_geometry.h"

#include <cmath>

#include "opset/util.h"

namespace ortl::opset {

using kernels::ResizeCoordMode;
using kernels::ResizeMode;
using kernels::ResizeNearestMode;

ResizeAttrs parse_resize_attrs(const graph::Node& node, int opset, bool upsample) {
  ResizeAttrs a;
  const std::string mode = node.get_string("mode", "nearest");
  if (mode == "nearest") {
    a.mode = ResizeMode::kNearest;
  } else if (mode == "linear" || (upsample && mode == "bilinear")) {
    a.mode = ResizeMode::kLinear;
  } else if (mode == "cubic" && !upsample) {
    a.mode = ResizeMode::kCubic;
  } else {
    fail(ErrorCode::kInvalidModel, "mode '", mode, "' is not a valid interpolation mode");
  }
  if (upsample || opset < 11) {
    // Before Resize-11 the only transform was asymmetric, and nearest truncated (upsampling) or
    // took the ceiling (downsampling), as ORT keeps for these versions.
    a.coord = ResizeCoordMode::kAsymmetric;
    a.nearest = ResizeNearestMode::kSimple;
    return a;
  }
  const std::string coord = node.get_string("coordinate_transformation_mode", "half_pixel");
  if (coord == "half_pixel") {
    a.coord = ResizeCoordMode::kHalfPixel;
  } else if (coord == "half_pixel_symmetric") {
    a.coord = ResizeCoordMode::kHalfPixelSymmetric;
  } else if (coord == "pytorch_half_pixel") {
    a.coord = ResizeCoordMode::kPytorchHalfPixel;
  } else if (coord == "align_corners") {
    a.coord = ResizeCoordMode::kAlignCorners;
  } else if (coord == "asymmetric") {
    a.coord = ResizeCoordMode::kAsymmetric;
  } else if (coord == "tf_crop_and_resize") {
    a.coord = ResizeCoordMode::kTfCropAndResize;
  } else if (coord == "tf_half_pixel_for_nn") {
    a.coord = ResizeCoordMode::kTfHalfPixelForNn;
  } else {
    fail(ErrorCode::kInvalidModel, "coordinate_transformation_mode '", coord, "' is not valid");
  }
  const std::string nearest = node.get_string("nearest_mode", "round_prefer_floor");
  if (nearest == "round_prefer_floor") {
    a.nearest = ResizeNearestMode::kRoundPreferFloor;
  } else if (nearest == "round_prefer_ceil") {
    a.nearest = ResizeNearestMode::kRoundPreferCeil;
  } else if (nearest == "floor") {
    a.nearest = ResizeNearestMode::kFloor;
  } else if (nearest == "ceil") {
    a.nearest = ResizeNearestMode::kCeil;
  } else {
    fail(ErrorCode::kInvalidModel, "nearest_mode '", nearest, "' is not valid");
  }
  a.cubic_a = node.get_float("cubic_coeff_a", -0.75f);
  a.exclude_outside = node.get_int("exclude_outside", 0) != 0;
  a.extrapolation_value = node.get_float("extrapolation_value", 0.f);
  // antialias only changes linear and cubic (the spec ignores it for nearest).
  a.antialias = node.get_int("antialias", 0) != 0 && a.mode != ResizeMode::kNearest;
  a.axes = node.get_ints("axes");
  const std::string policy = node.get_string("keep_aspect_ratio_policy", "stretch");
  if (policy == "stretch") {
    a.policy = AspectPolicy::kStretch;
  } else if (policy == "not_larger") {
    a.policy = AspectPolicy::kNotLarger;
  } else if (policy == "not_smaller") {
    a.policy = AspectPolicy::kNotSmaller;
  } else {
    fail(ErrorCode::kInvalidModel, "keep_aspect_ratio_policy '", policy, "' is not valid");
  }
  return a;
}

kernels::ResizeParams resize_geometry(const ResizeAttrs& a, const std::vector<int64_t>& in_shape,
                                      const std::vector<float>& scales, const std::vector<int64_t>& sizes,
                                      const std::vector<float>& roi) {
  const int64_t r = static_cast<int64_t>(in_shape.size());
  kernels::ResizeParams p;
  p.mode = a.mode;
  p.coord = a.coord;
  p.nearest = a.nearest;
  p.cubic_a = a.cubic_a;
  p.exclude_outside = a.exclude_outside;
  p.antialias = a.antialias;
  p.extrapolation_value = a.extrapolation_value;
  p.in_shape = in_shape;
  p.out_shape = in_shape;
  p.scales.assign(static_cast<size_t>(r), 1.0);

  if (a.axes.empty()) {
    for (int i = 0; i < r; ++i) p.axes.push_back(i);
  } else {
    std::vector<char> seen(static_cast<size_t>(r), 0);
    for (int64_t ax : a.axes) {
      const int64_t n = normalize_axis(ax, r);
      check(!seen[static_cast<size_t>(n)], ErrorCode::kInvalidArgument, "axes contains ", ax, " twice");
      seen[static_cast<size_t>(n)] = 1;
      p.axes.push_back(static_cast<int>(n));
    }
  }
  const size_t na = p.axes.size();
  check(scales.empty() || sizes.empty(), ErrorCode::kInvalidArgument, "only one of 'scales' and 'sizes' can be given");
  check(!scales.empty() || !sizes.empty(), ErrorCode::kInvalidArgument, "one of 'scales' and 'sizes' must be given");

  if (!scales.empty()) {
    check(scales.size() == na, ErrorCode::kInvalidArgument, "'scales' has ", scales.size(), " values, expected ", na);
    for (size_t i = 0; i < na; ++i) {
      const size_t ax = static_cast<size_t>(p.axes[i]);
      const double s = scales[i];
      check(s > 0 && std::isfinite(s), ErrorCode::kInvalidArgument, "scale ", s, " must be positive");
      p.scales[ax] = s;
      // floor(in * scale) in double: the float32 scale widened exactly, as the reference does.
      const double out = std::floor(s * static_cast<double>(in_shape[ax]));
      check(out < 9.0e15, ErrorCode::kInvalidArgument, "scale ", s, " gives an output too large");
      p.out_shape[ax] = static_cast<int64_t>(out);
    }
  } else {
    check(sizes.size() == na, ErrorCode::kInvalidArgument, "'sizes' has ", sizes.size(), " values, expected ", na);
    for (size_t i = 0; i < na; ++i) {
      const size_t ax = static_cast<size_t>(p.axes[i]);
      check(sizes[i] >= 0, ErrorCode::kInvalidArgument, "sizes ", sizes[i], " must not be negative");
      check(in_shape[ax] > 0 || sizes[i] == 0, ErrorCode::kInvalidArgument, "cannot resize an empty axis ", ax, " to ",
            sizes[i]);
      p.out_shape[ax] = sizes[i];
      p.scales[ax] = in_shape[ax] > 0 ? static_cast<double>(sizes[i]) / static_cast<double>(in_shape[ax]) : 1.0;
    }
    if (a.policy != AspectPolicy::kStretch) {
      double s = p.scales[static_cast<size_t>(p.axes[0])];
      for (int ax : p.axes) {
        const double v = p.scales[static_cast<size_t>(ax)];
        s = a.policy == AspectPolicy::kNotLarger ? std::min(s, v) : std::max(s, v);
      }
      for (int ax : p.axes) {
        p.scales[static_cast<size_t>(ax)] = s;
        p.out_shape[static_cast<size_t>(ax)] =
            static_cast<int64_t>(s * static_cast<double>(in_shape[static_cast<size_t>(ax)]) + 0.5);  // half up
      }
    }
  }

  if (a.coord == kernels::ResizeCoordMode::kTfCropAndResize) {
    p.roi_start.assign(static_cast<size_t>(r), 0.0);
    p.roi_end.assign(static_cast<size_t>(r), 1.0);
    if (!roi.empty()) {
      check(roi.size() == 2 * na, ErrorCode::kInvalidArgument, "'roi' has ", roi.size(), " values, expected ", 2 * na);
      for (size_t i = 0; i < na; ++i) {
        p.roi_start[static_cast<size_t>(p.axes[i])] = roi[i];
        p.roi_end[static_cast<size_t>(p.axes[i])] = roi[na + i];
      }
    }
  }
  checked_numel(p.out_shape);
  return p;
}

}  // namespace ortl::opset
