// GridSample (16, 20, 22): X [N, C, d1..dr] sampled at grid [N, o1..or, r] -> Y [N, C, o1..or].
// 16 takes only 4-D X and spells the modes bilinear / nearest / bicubic; 20 generalizes to any
// spatial rank and renames them linear / nearest / cubic; 22 adds bfloat16. X and grid may be
// different float types: grid is read in X's precision. float16 / bfloat16 compute in float.
#include "kernels/vision/vision.h"
#include "opset/vision/vision.h"
#include "opset/vision/vision_util.h"

namespace ortl::opset {
namespace {

// Spatial ranks beyond this are refused: cubic taps grow as 4^r per output position.
constexpr int kMaxSpatialRank = 5;

class GridSample final : public OpKernel {
 public:
  GridSample(kernels::GridSampleParams p, bool only_4d) : p_(std::move(p)), only_4d_(only_4d) {}

  void infer(InferContext& ctx) const override {
    vision::check_float(ctx.input_dtype(0), "GridSample");
    vision::check_float(ctx.input_dtype(1), "GridSample");
    const TypeInfo& x = ctx.input_type(0);
    const TypeInfo& g = ctx.input_type(1);
    if (x.has_shape) check_rank(x.rank());
    if (x.has_shape && g.has_shape) {
      check(g.rank() == x.rank(), ErrorCode::kInvalidArgument, "GridSample: grid rank ", g.rank(),
            " differs from X rank ", x.rank());
    }
    if (!g.has_shape) {
      if (!x.has_shape) return ctx.set_output(0, TypeInfo{x.dtype, false, {}});
      Shape out = fresh_dims(ctx, x.rank());
      out[0] = x.shape[0];
      out[1] = x.shape[1];
      return ctx.set_output(0, TypeInfo::of(x.dtype, out));
    }
    check(g.rank() >= 3, ErrorCode::kInvalidArgument, "GridSample: grid rank ", g.rank(), " < 3");
    const Dim last = g.shape.back();
    check(!last.known() || last.value == g.rank() - 2, ErrorCode::kInvalidArgument, "GridSample: grid ",
          graph::shape_str(g.shape), " must end in ", g.rank() - 2, " coordinates");
    Shape out{g.shape[0], x.has_shape ? x.shape[1] : ctx.fresh_dim()};
    out.insert(out.end(), g.shape.begin() + 1, g.shape.end() - 1);
    ctx.set_output(0, TypeInfo::of(x.dtype, out));
  }

  void run(RunContext& ctx) const override {
    vision::run_half_as_float(ctx, [this](RunContext& c) { run_float(c); });
  }

  std::string kernel_name() const override { return "grid_sample_ref"; }

 private:
  void check_rank(int r) const {
    if (only_4d_) {
      check(r == 4, ErrorCode::kInvalidArgument, "GridSample-16: X must be 4-D, got rank ", r);
    } else {
      check(r >= 3, ErrorCode::kInvalidArgument, "GridSample: X rank ", r, " < 3");
      check(r - 2 <= kMaxSpatialRank, ErrorCode::kNotImplemented, "GridSample: spatial rank ", r - 2, " > ",
            kMaxSpatialRank);
    }
  }

  void run_float(RunContext& ctx) const {
    const Tensor& x = *ctx.input(0);
    const Tensor& g = *ctx.input(1);
    check_rank(x.rank());
    const int r = x.rank() - 2;
    if (g.rank() != x.rank() || g.dim(0) != x.dim(0) || g.dim(-1) != r) {
      fail(ErrorCode::kInvalidArgument, "GridSample: grid ", shape_str(g.shape()), " does not fit X ",
           shape_str(x.shape()), " (expected [", x.dim(0), ", ..., ", r, "])");
    }
    kernels::GridSampleParams p = p_;
    p.batch = x.dim(0);
    p.channels = x.dim(1);
    p.in_spatial.assign(x.shape().begin() + 2, x.shape().end());
    p.out_spatial.assign(g.shape().begin() + 1, g.shape().end() - 1);
    std::vector<int64_t> out{p.batch, p.channels};
    out.insert(out.end(), p.out_spatial.begin(), p.out_spatial.end());
    Tensor& y = ctx.output(0, out);
    if (y.numel() == 0) return;
    for (int64_t d : p.in_spatial) {
      check(d > 0, ErrorCode::kInvalidArgument, "GridSample: X ", shape_str(x.shape()), " has an empty spatial dim");
    }
    vision::dispatch_float(x.dtype(), "GridSample", [&](auto tag) {
      using T = decltype(tag);
      std::vector<T> tmp;
      const T* grid = vision::floats_as<T>(g, tmp);
      kernels::grid_sample<T>(p, x.data_as<T>(), grid, y.data_as<T>(), ctx.par());
    });
  }

  kernels::GridSampleParams p_;
  bool only_4d_;
};

}  // namespace

std::unique_ptr<OpKernel> build_grid_sample(const BuildContext& ctx) {
  const graph::Node& n = ctx.node;
  const bool v16 = ctx.opset < 20;
  kernels::GridSampleParams p;
  const std::string mode = n.get_string("mode", v16 ? "bilinear" : "linear");
  if (mode == "nearest") {
    p.mode = kernels::GridMode::kNearest;
  } else if (mode == (v16 ? "bilinear" : "linear")) {
    p.mode = kernels::GridMode::kLinear;
  } else if (mode == (v16 ? "bicubic" : "cubic")) {
    p.mode = kernels::GridMode::kCubic;
  } else {
    fail(ErrorCode::kInvalidArgument, "GridSample-", ctx.opset, ": unknown mode '", mode, "' (",
         v16 ? "bilinear, nearest, bicubic" : "linear, nearest, cubic", ")");
  }
  const std::string pad = n.get_string("padding_mode", "zeros");
  if (pad == "zeros") {
    p.padding = kernels::GridPadding::kZeros;
  } else if (pad == "border") {
    p.padding = kernels::GridPadding::kBorder;
  } else if (pad == "reflection") {
    p.padding = kernels::GridPadding::kReflection;
  } else {
    fail(ErrorCode::kInvalidArgument, "GridSample: unknown padding_mode '", pad, "' (zeros, border, reflection)");
  }
  p.align_corners = n.get_int("align_corners", 0) != 0;
  return std::make_unique<GridSample>(std::move(p), v16);
}

}  // namespace ortl::opset
