// RoiAlign (10, 16, 22): X [N, C, H, W], rois [R, 4] (x1, y1, x2, y2 in input coordinates
// before spatial_scale), batch_indices [R] -> Y [R, C, output_height, output_width].
// 10 has no coordinate_transformation_mode and behaves as output_half_pixel (no half-pixel
// shift); 16 adds the attribute with default half_pixel; 22 adds bfloat16.
// float16 / bfloat16 compute in float.
#include "kernels/vision/vision.h"
#include "opset/vision/vision.h"
#include "opset/vision/vision_util.h"

namespace ortl::opset {
namespace {

class RoiAlign final : public OpKernel {
 public:
  explicit RoiAlign(kernels::RoiAlignParams p) : p_(p) {}

  void infer(InferContext& ctx) const override {
    vision::check_float(ctx.input_dtype(0), "RoiAlign");
    const TypeInfo& x = ctx.input_type(0);
    const TypeInfo& rois = ctx.input_type(1);
    check(x.rank() < 0 || x.rank() == 4, ErrorCode::kInvalidArgument, "RoiAlign: X rank ", x.rank(), " != 4");
    check(rois.rank() < 0 || rois.rank() == 2, ErrorCode::kInvalidArgument, "RoiAlign: rois rank ", rois.rank(),
          " != 2");
    const Dim r = rois.has_shape ? rois.shape[0] : ctx.fresh_dim();
    const Dim c = x.has_shape ? x.shape[1] : ctx.fresh_dim();
    ctx.set_output(0, TypeInfo::of(x.dtype, {r, c, Dim(p_.out_h), Dim(p_.out_w)}));
  }

  void run(RunContext& ctx) const override {
    vision::run_half_as_float(ctx, [this](RunContext& c) { run_float(c); });
  }

  std::string kernel_name() const override { return "roi_align_ref"; }

 private:
  void run_float(RunContext& ctx) const {
    const Tensor& x = *ctx.input(0);
    const Tensor& rois = *ctx.input(1);
    const Tensor& bi = *ctx.input(2);
    check(x.rank() == 4, ErrorCode::kInvalidArgument, "RoiAlign: X rank ", x.rank(), " != 4");
    if (rois.rank() != 2 || rois.dim(1) != 4 || bi.rank() != 1 || bi.dim(0) != rois.dim(0)) {
      fail(ErrorCode::kInvalidArgument, "RoiAlign: rois ", shape_str(rois.shape()), " and batch_indices ",
           shape_str(bi.shape()), " must be [R, 4] and [R]");
    }
    check(bi.dtype() == DType::kInt64 || bi.dtype() == DType::kInt32, ErrorCode::kInvalidArgument,
          "RoiAlign: batch_indices must be int64, got ", dtype_name(bi.dtype()));
    const std::vector<int64_t> batch = ints_of(bi);
    for (int64_t b : batch) {
      check(b >= 0 && b < x.dim(0), ErrorCode::kInvalidArgument, "RoiAlign: batch index ", b, " is outside [0, ",
            x.dim(0), ")");
    }
    kernels::RoiAlignParams p = p_;
    p.channels = x.dim(1);
    p.height = x.dim(2);
    p.width = x.dim(3);
    p.num_rois = rois.dim(0);
    Tensor& y = ctx.output(0, {p.num_rois, p.channels, p.out_h, p.out_w});
    if (y.numel() == 0) return;
    vision::dispatch_float(x.dtype(), "RoiAlign", [&](auto tag) {
      using T = decltype(tag);
      std::vector<T> tmp;
      const T* r = vision::floats_as<T>(rois, tmp);
      kernels::roi_align<T>(p, x.data_as<T>(), r, batch.data(), y.data_as<T>(), ctx.par());
    });
  }

  kernels::RoiAlignParams p_;
};

}  // namespace

std::unique_ptr<OpKernel> build_roi_align(const BuildContext& ctx) {
  const graph::Node& n = ctx.node;
  kernels::RoiAlignParams p;
  const std::string mode = n.get_string("mode", "avg");
  check(mode == "avg" || mode == "max", ErrorCode::kInvalidArgument, "RoiAlign: unknown mode '", mode, "' (avg, max)");
  p.max_mode = mode == "max";
  if (ctx.opset >= 16) {
    const std::string ct = n.get_string("coordinate_transformation_mode", "half_pixel");
    check(ct == "half_pixel" || ct == "output_half_pixel", ErrorCode::kInvalidArgument,
          "RoiAlign: unknown coordinate_transformation_mode '", ct, "' (half_pixel, output_half_pixel)");
    p.half_pixel = ct == "half_pixel";
  } else {
    p.half_pixel = false;
  }
  p.out_h = n.get_int("output_height", 1);
  p.out_w = n.get_int("output_width", 1);
  p.sampling_ratio = n.get_int("sampling_ratio", 0);
  p.spatial_scale = n.get_float("spatial_scale", 1.f);
  if (p.out_h < 1 || p.out_w < 1 || p.sampling_ratio < 0) {
    fail(ErrorCode::kInvalidArgument, "RoiAlign: output_height ", p.out_h, " and output_width ", p.out_w,
         " must be >= 1, sampling_ratio ", p.sampling_ratio, " >= 0");
  }
  return std::make_unique<RoiAlign>(p);
}

}  // namespace ortl::opset
