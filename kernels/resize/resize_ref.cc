// Spec-literal Resize reference, the oracle of the resize tests. It follows
// onnx/reference/ops/op_resize.py step by step for every output element, in double: the source
// coordinate (resize_coords.h, shared with every backend), the ratio in (0, 1], the coefficient
// list by ratio (_nearest/_linear/_cubic_coeffs and their antialias variants), the n nearest
// neighbours with edge padding (one deliberate difference, see neighbours()), exclude_outside
// renormalisation, and the axis-after-axis order of the reference's separable loop. Nothing is
// tabulated or vectorised here on purpose.
#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "kernels/resize/resize.h"

namespace ortl::kernels {
namespace {

// Coefficients by ratio, in the order of the neighbours (ascending index).
std::vector<double> coeffs(const ResizeParams& p, double ratio, double scale, double x) {
  const double A = p.cubic_a;
  switch (p.mode) {
    case ResizeMode::kNearest: {
      if (ratio == 1) return {0, 1};
      switch (p.nearest) {
        case ResizeNearestMode::kRoundPreferCeil: return {double(ratio < 0.5), double(ratio >= 0.5)};
        case ResizeNearestMode::kFloor: return {1, 0};
        case ResizeNearestMode::kCeil: return {0, 1};
        case ResizeNearestMode::kSimple: {  // ORT's Resize-10 rule: ceil when downsampling, else trunc
          const bool ceil = scale < 1 || x < 0;
          return {double(!ceil), double(ceil)};
        }
        case ResizeNearestMode::kRoundPreferFloor:
        default: return {double(ratio <= 0.5), double(ratio > 0.5)};
      }
    }
    case ResizeMode::kLinear: {
      if (!p.antialias) return {1 - ratio, ratio};
      const double s = std::min(scale, 1.0);
      const int64_t start = static_cast<int64_t>(std::floor(-1 / s)) + 1;
      const int64_t footprint = 2 - 2 * start;
      std::vector<double> c;
      double sum = 0;
      for (int64_t i = start; i < start + footprint; ++i) {
        const double arg = (static_cast<double>(i) - ratio) * s;
        c.push_back(std::clamp(1 - std::fabs(arg), 0.0, 1.0));
        sum += c.back();
      }
      for (double& v : c) v /= sum;
      return c;
    }
    case ResizeMode::kCubic:
    default: {
      if (!p.antialias) {
        const double r = ratio, q = 1 - ratio;
        return {((A * (r + 1) - 5 * A) * (r + 1) + 8 * A) * (r + 1) - 4 * A, ((A + 2) * r - (A + 3)) * r * r + 1,
                ((A + 2) * q - (A + 3)) * q * q + 1, ((A * (q + 1) - 5 * A) * (q + 1) + 8 * A) * (q + 1) - 4 * A};
      }
      const double s = std::min(scale, 1.0);
      auto coeff = [A](double v) {
        v = std::fabs(v);
        const double v2 = v * v, v3 = v * v2;
        if (v <= 1) return (A + 2) * v3 - (A + 3) * v2 + 1;
        if (v < 2) return A * v3 - 5 * A * v2 + 8 * A * v - 4 * A;
        return 0.0;
      };
      const int64_t i_start = static_cast<int64_t>(std::floor(-2 / s)) + 1;
      const int64_t i_end = 2 - i_start;
      std::vector<double> c;
      double sum = 0;
      for (int64_t i = i_start; i < i_end; ++i) {
        c.push_back(coeff(s * (static_cast<double>(i) - ratio)));
        sum += c.back();
      }
      for (double& v : c) v /= sum;
      return c;
    }
  }
}

// _get_neighbor_idxes: the n integers nearest to x = base + ratio, ties to the smaller, i.e.
// base - n/2 + 1 ... base + n/2 for the (always even) coefficient count n. The onnx reference
// ranks distances after shifting x by the edge padding, so when x lies within an ulp of an
// integer (1.0000000000000002) the shifted value rounds onto the integer and its window ends up
// one pixel off its coefficients; here the window follows the coefficients' own ratio, which
// keeps the result continuous in x (as ORT's is). Indices past the input read the edge value.
std::vector<int64_t> neighbours(int64_t base, size_t n) {
  std::vector<int64_t> idx(n);
  for (size_t k = 0; k < n; ++k) idx[k] = base - static_cast<int64_t>(n / 2) + 1 + static_cast<int64_t>(k);
  return idx;
}

template <class T>
struct RefCtx {
  const ResizeParams& p;
  const T* src;
  std::vector<int> order;  // processed axes
  std::vector<int64_t> in_stride;
  std::vector<int64_t> out_coord;
};

// Value after the first j+1 processed axes at out_coord (unprocessed axes read in_coord).
template <class T>
double eval(const RefCtx<T>& c, int j, std::vector<int64_t>& in_coord) {
  if (j < 0) {
    int64_t off = 0;
    for (size_t a = 0; a < in_coord.size(); ++a) off += in_coord[a] * c.in_stride[a];
    return static_cast<double>(c.src[off]);
  }
  const ResizeParams& p = c.p;
  const int a = c.order[static_cast<size_t>(j)];
  const int64_t L = p.in_shape[a];
  const double scale = p.scales[a];
  const double r0 = p.roi_start.empty() ? 0.0 : p.roi_start[a];
  const double r1 = p.roi_end.empty() ? 1.0 : p.roi_end[a];
  const double x = resize_source_coord(p.coord, static_cast<double>(c.out_coord[a]), scale, L, p.out_shape[a], r0, r1);
  if (p.coord == ResizeCoordMode::kTfCropAndResize && (x < 0 || x > static_cast<double>(L - 1))) {
    return p.extrapolation_value;
  }
  // ratio in (0, 1]: the reference prefers the pixel left of x, so an integer x has ratio 1.
  const double x_int = std::floor(x);
  const double ratio = x == x_int ? 1.0 : x - x_int;
  const int64_t base = static_cast<int64_t>(x_int) - (x == x_int ? 1 : 0);
  std::vector<double> w = coeffs(p, ratio, scale, x);
  const std::vector<int64_t> idx = neighbours(base, w.size());
  if (p.exclude_outside) {
    double sum = 0;
    for (size_t k = 0; k < w.size(); ++k) {
      if (idx[k] < 0 || idx[k] >= L) w[k] = 0;
      sum += w[k];
    }
    if (sum != 0) {
      for (double& v : w) v /= sum;
    }
  }
  double acc = 0;
  for (size_t k = 0; k < w.size(); ++k) {
    in_coord[static_cast<size_t>(a)] = std::clamp<int64_t>(idx[k], 0, L - 1);
    acc += w[k] * eval(c, j - 1, in_coord);
  }
  return acc;
}

template <class T>
T saturate(double v) {
  if constexpr (std::is_integral_v<T>) {
    v = std::nearbyint(v);
    v = std::clamp(v, static_cast<double>(std::numeric_limits<T>::min()),
                   static_cast<double>(std::numeric_limits<T>::max()));
  }
  return static_cast<T>(v);
}

template <class T>
void ref_typed(const ResizeParams& p, const T* src, T* dst) {
  const size_t r = p.in_shape.size();
  int64_t n_out = 1;
  for (int64_t d : p.out_shape) n_out *= d;
  for (size_t a = 0; a < r; ++a) {
    if (p.in_shape[a] == 0 && n_out != 0) {
      std::fill(dst, dst + n_out, T{});
      return;
    }
  }
  RefCtx<T> c{p, src, {}, std::vector<int64_t>(r), std::vector<int64_t>(r, 0)};
  for (int a : p.axes) {
    if (!resize_axis_is_identity(p, a)) c.order.push_back(a);
  }
  int64_t s = 1;
  for (size_t a = r; a-- > 0;) {
    c.in_stride[a] = s;
    s *= p.in_shape[a];
  }
  std::vector<int64_t> in_coord(r);
  for (int64_t i = 0; i < n_out; ++i) {
    int64_t rem = i;
    for (size_t a = r; a-- > 0;) {
      c.out_coord[a] = rem % p.out_shape[a];
      rem /= p.out_shape[a];
    }
    in_coord = c.out_coord;
    dst[i] = saturate<T>(eval(c, static_cast<int>(c.order.size()) - 1, in_coord));
  }
}

}  // namespace

void resize_ref(const ResizeParams& p, ResizeType t, const void* src, void* dst) {
  switch (t) {
    case ResizeType::kF32: ref_typed(p, static_cast<const float*>(src), static_cast<float*>(dst)); break;
    case ResizeType::kF64: ref_typed(p, static_cast<const double*>(src), static_cast<double*>(dst)); break;
    case ResizeType::kU8: ref_typed(p, static_cast<const uint8_t*>(src), static_cast<uint8_t*>(dst)); break;
    case ResizeType::kI8: ref_typed(p, static_cast<const int8_t*>(src), static_cast<int8_t*>(dst)); break;
  }
}

void resize_ref_f32(const ResizeParams& p, const float* src, float* dst) { resize_ref(p, ResizeType::kF32, src, dst); }

}  // namespace ortl::kernels
