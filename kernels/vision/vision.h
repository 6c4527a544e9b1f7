// Vision and selection kernels: GridSample, RoiAlign, DeformConv, Col2Im, MaxUnpool,
// AffineGrid, NonMaxSuppression, TopK, Unique and Det.
//
// Layout: dense row-major tensors, channels-first images ([N, C, d1, ..., dr]). Parameter
// structs carry concrete sizes; the op layer (opset/vision) validates shapes, attributes and
// index values before calling, so no kernel reads out of bounds on what it is given.
// Floating-point kernels are instantiated for float and double (float16 / bfloat16 detour
// through float at the op layer). Each kernel is the plain spec-literal loop nest, arranged so
// that per-position work (coordinates, taps, weights) is computed once and reused for every
// channel; DeformConv feeds its sampled columns to the GEMM family.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "kernels/base/parallel.h"

namespace ortl::kernels {

using VDims = std::vector<int64_t>;

// ---- GridSample ---------------------------------------------------------------------------
// y[n, c, o1..or] = interpolation of x[n, c] at grid[n, o1..or, :], whose last axis holds the
// normalized coordinates in reverse dim order (x = last spatial dim first), in [-1, 1].
enum class GridMode { kNearest, kLinear, kCubic };
enum class GridPadding { kZeros, kBorder, kReflection };
struct GridSampleParams {
  int64_t batch = 0, channels = 0;
  VDims in_spatial;   // d1..dr
  VDims out_spatial;  // o1..or
  GridMode mode = GridMode::kLinear;
  GridPadding padding = GridPadding::kZeros;
  bool align_corners = false;
};
template <class T>
void grid_sample(const GridSampleParams& p, const T* x, const T* grid, T* y, Parallel& par);

// ---- AffineGrid ---------------------------------------------------------------------------
// grid[n, (d,) h, w, :] = theta[n] @ (x_w, y_h, (z_d,) 1), base coordinates spread over [-1, 1]
// (pixel centres unless align_corners). spatial = (H, W) or (D, H, W).
template <class T>
void affine_grid(const T* theta, int64_t batch, const VDims& spatial, bool align_corners, T* grid);

// ---- RoiAlign -----------------------------------------------------------------------------
struct RoiAlignParams {
  int64_t channels = 0, height = 0, width = 0;
  int64_t num_rois = 0, out_h = 1, out_w = 1;
  int64_t sampling_ratio = 0;  // 0: adaptive, ceil(roi size / output size)
  float spatial_scale = 1.f;
  bool half_pixel = true;  // coordinate_transformation_mode half_pixel (else output_half_pixel)
  bool max_mode = false;
};
// rois [num_rois, 4] as (x1, y1, x2, y2); batch_index values must lie in [0, N).
template <class T>
void roi_align(const RoiAlignParams& p, const T* x, const T* rois, const int64_t* batch_index, T* y, Parallel& par);

// ---- Col2Im -------------------------------------------------------------------------------
// src [N, C * prod(block), prod(cols)] -> dst [N, C, image...], overlapping blocks summed.
struct Col2ImParams {
  int64_t batch = 0, channels = 0;
  VDims image, block, dilations, strides, pads_begin;
  VDims cols;  // sliding-block positions per dim
};
template <class T>
void col2im(const Col2ImParams& p, const T* src, T* dst, Parallel& par);

// ---- MaxUnpool ----------------------------------------------------------------------------
// dst (shape out_shape, zero-filled here) receives src[i] at the position that flat index
// idx[i] names in a tensor of shape `inferred` (the unpooled shape); `inferred` is placed at
// the origin of `out_shape` (every dim of out_shape >= inferred). Indices must be in range.
void max_unpool(const void* src, const int64_t* idx, int64_t count, size_t elem_size, const VDims& inferred,
                const VDims& out_shape, void* dst);

// ---- DeformConv (2-D) ---------------------------------------------------------------------
struct DeformConvParams {
  int64_t batch = 0, in_c = 0, in_h = 0, in_w = 0;
  int64_t out_c = 0, out_h = 0, out_w = 0;
  int64_t kernel_h = 1, kernel_w = 1;
  int64_t stride_h = 1, stride_w = 1, pad_h = 0, pad_w = 0, dil_h = 1, dil_w = 1;
  int64_t group = 1, offset_group = 1;
};
// x [N, C, H, W], w [OC, C/group, kh, kw], offset [N, offset_group*kh*kw*2, OH, OW] ((dy, dx)
// pairs), mask [N, offset_group*kh*kw, OH, OW] or null, bias [OC] or null. Samples are bilinear
// with zeros outside the image.
template <class T>
void deform_conv(const DeformConvParams& p, const T* x, const T* w, const T* offset, const T* mask, const T* bias, T* y,
                 Parallel& par);

// ---- NonMaxSuppression --------------------------------------------------------------------
struct NmsParams {
  int64_t batches = 0, classes = 0, boxes = 0;
  int64_t max_per_class = 0;
  float iou_threshold = 0.f;
  bool has_score_threshold = false;
  float score_threshold = 0.f;
  bool center_point_box = false;  // boxes as (xc, yc, w, h), else (y1, x1, y2, x2)
};
// boxes [batches, boxes, 4], scores [batches, classes, boxes]. Returns (batch, class, box)
// triples: per batch and class, boxes by descending score (ties: lower index first), each
// kept unless its IoU with an already kept box exceeds the threshold.
std::vector<int64_t> non_max_suppression(const NmsParams& p, const float* boxes, const float* scores);

// ---- TopK ---------------------------------------------------------------------------------
// src viewed as [outer, n, inner]; along n, the k largest (or smallest) values in order, ties
// (and NaNs, which rank above every number) by lower index. k <= n.
template <class T>
void topk(const T* src, int64_t outer, int64_t n, int64_t inner, int64_t k, bool largest, T* dst_values,
          int64_t* dst_indices, Parallel& par);

// ---- Unique -------------------------------------------------------------------------------
// src viewed as [outer, n, inner]: the n slices src[:, j, :] compared lexicographically (a flat
// Unique is outer = inner = 1). NaNs equal each other and sort last.
struct UniqueResult {
  std::vector<int64_t> first;    // per unique slice (output order): index of its first occurrence
  std::vector<int64_t> inverse;  // per input slice: its unique slice's output position
  std::vector<int64_t> counts;   // per unique slice
};
template <class T>
UniqueResult unique(const T* src, int64_t outer, int64_t n, int64_t inner, bool sorted);

// ---- Det ----------------------------------------------------------------------------------
// Determinants of `count` row-major m x m matrices (LU with partial pivoting, in double).
template <class T>
void det(const T* src, int64_t count, int64_t m, T* dst);

}  // namespace ortl::kernels
