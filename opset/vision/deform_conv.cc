// DeformConv (19, 22; 22 adds bfloat16): 2-D deformable convolution (v1, and v2 with the mask
// input). X [N, C, H, W], W [OC, C/group, kh, kw], offset [N, offset_group*kh*kw*2, OH, OW],
// optional B [OC] and mask [N, offset_group*kh*kw, OH, OW] -> Y [N, OC, OH, OW].
// Other spatial ranks are not implemented. float16 / bfloat16 compute in float.
#include "kernels/vision/vision.h"
#include "opset/vision/vision.h"
#include "opset/vision/vision_util.h"

namespace ortl::opset {
namespace {

struct DeformAttrs {
  std::vector<int64_t> dilations, kernel, pads, strides;
  int64_t group = 1, offset_group = 1;
};

class DeformConv final : public OpKernel {
 public:
  explicit DeformConv(DeformAttrs a) : a_(std::move(a)) {}

  void infer(InferContext& ctx) const override {
    vision::check_float(ctx.input_dtype(0), "DeformConv");
    const TypeInfo& x = ctx.input_type(0);
    const TypeInfo& w = ctx.input_type(1);
    const TypeInfo& off = ctx.input_type(2);
    check(x.rank() < 0 || x.rank() == 4, ErrorCode::kNotImplemented,
          "DeformConv: only 2-D (4-D X) is supported, got rank ", x.rank());
    // The output's spatial dims are the offset's (checked against the geometry at run time).
    Shape out = fresh_dims(ctx, 4);
    if (x.has_shape) out[0] = x.shape[0];
    if (w.has_shape && w.rank() == 4) out[1] = w.shape[0];
    if (off.has_shape && off.rank() == 4) {
      out[2] = off.shape[2];
      out[3] = off.shape[3];
    }
    ctx.set_output(0, TypeInfo::of(x.dtype, out));
  }

  void run(RunContext& ctx) const override {
    vision::run_half_as_float(ctx, [this](RunContext& c) { run_float(c); });
  }

  std::string kernel_name() const override { return "deform_conv_im2col_gemm"; }

 private:
  void run_float(RunContext& ctx) const {
    const Tensor& x = *ctx.input(0);
    const Tensor& w = *ctx.input(1);
    const Tensor& off = *ctx.input(2);
    const Tensor* b = ctx.input(3);
    const Tensor* mask = ctx.input(4);
    check(x.rank() == 4, ErrorCode::kNotImplemented, "DeformConv: only 2-D (4-D X) is supported, got rank ", x.rank());
    check(w.rank() == 4 && off.rank() == 4, ErrorCode::kInvalidArgument, "DeformConv: W ", shape_str(w.shape()),
          " and offset ", shape_str(off.shape()), " must be 4-D");
    kernels::DeformConvParams p;
    p.batch = x.dim(0), p.in_c = x.dim(1), p.in_h = x.dim(2), p.in_w = x.dim(3);
    p.out_c = w.dim(0);
    p.kernel_h = a_.kernel.empty() ? w.dim(2) : a_.kernel[0];
    p.kernel_w = a_.kernel.empty() ? w.dim(3) : a_.kernel[1];
    p.dil_h = a_.dilations[0], p.dil_w = a_.dilations[1];
    p.stride_h = a_.strides[0], p.stride_w = a_.strides[1];
    p.pad_h = a_.pads[0], p.pad_w = a_.pads[1];
    p.group = a_.group;
    p.offset_group = a_.offset_group;
    if (p.in_c % p.group != 0 || p.out_c % p.group != 0 || w.dim(1) * p.group != p.in_c || w.dim(2) != p.kernel_h ||
        w.dim(3) != p.kernel_w) {
      fail(ErrorCode::kInvalidArgument, "DeformConv: W ", shape_str(w.shape()), " does not fit X ",
           shape_str(x.shape()), " with group ", p.group, " and kernel ", p.kernel_h, "x", p.kernel_w);
    }
    check(p.in_c % p.offset_group == 0, ErrorCode::kInvalidArgument, "DeformConv: ", p.in_c,
          " channels are not divisible by offset_group ", p.offset_group);
    p.out_h = (p.in_h + a_.pads[0] + a_.pads[2] - p.dil_h * (p.kernel_h - 1) - 1) / p.stride_h + 1;
    p.out_w = (p.in_w + a_.pads[1] + a_.pads[3] - p.dil_w * (p.kernel_w - 1) - 1) / p.stride_w + 1;
    const int64_t kk = p.kernel_h * p.kernel_w;
    const std::vector<int64_t> want_off{p.batch, p.offset_group * kk * 2, p.out_h, p.out_w};
    check(p.out_h >= 0 && p.out_w >= 0 && off.shape() == want_off, ErrorCode::kInvalidArgument, "DeformConv: offset ",
          shape_str(off.shape()), ", expected ", shape_str(want_off));
    if (mask) {
      const std::vector<int64_t> want_mask{p.batch, p.offset_group * kk, p.out_h, p.out_w};
      check(mask->shape() == want_mask, ErrorCode::kInvalidArgument, "DeformConv: mask ", shape_str(mask->shape()),
            ", expected ", shape_str(want_mask));
    }
    if (b) {
      check(b->rank() == 1 && b->dim(0) == p.out_c, ErrorCode::kInvalidArgument, "DeformConv: B ",
            shape_str(b->shape()), ", expected [", p.out_c, "]");
    }
    Tensor& y = ctx.output(0, {p.batch, p.out_c, p.out_h, p.out_w});
    if (y.numel() == 0) return;
    vision::dispatch_float(x.dtype(), "DeformConv", [&](auto tag) {
      using T = decltype(tag);
      std::vector<T> tw, to, tb, tm;
      kernels::deform_conv<T>(p, x.data_as<T>(), vision::floats_as<T>(w, tw), vision::floats_as<T>(off, to),
                              mask ? vision::floats_as<T>(*mask, tm) : nullptr,
                              b ? vision::floats_as<T>(*b, tb) : nullptr, y.data_as<T>(), ctx.par());
    });
  }

  DeformAttrs a_;
};

}  // namespace

std::unique_ptr<OpKernel> build_deform_conv(const BuildContext& ctx) {
  const graph::Node& n = ctx.node;
  DeformAttrs a;
  a.kernel = n.get_ints("kernel_shape");
  a.dilations = n.get_ints("dilations", {1, 1});
  a.strides = n.get_ints("strides", {1, 1});
  a.pads = n.get_ints("pads", {0, 0, 0, 0});
  a.group = n.get_int("group", 1);
  a.offset_group = n.get_int("offset_group", 1);
  if ((!a.kernel.empty() && a.kernel.size() != 2) || a.dilations.size() != 2 || a.strides.size() != 2 ||
      a.pads.size() != 4) {
    fail(ErrorCode::kNotImplemented,
         "DeformConv: only 2-D is supported (kernel_shape, dilations, strides with 2 "
         "values, pads with 4)");
  }
  bool ok = a.group >= 1 && a.offset_group >= 1;
  for (int d = 0; d < 2; ++d) {
    ok = ok && a.dilations[d] >= 1 && a.strides[d] >= 1 && a.pads[d] >= 0 && a.pads[d + 2] >= 0 &&
         (a.kernel.empty() || a.kernel[d] >= 1);
  }
  check(ok, ErrorCode::kInvalidArgument,
        "DeformConv: group, offset_group, kernel_shape, dilations and strides must be positive, pads non-negative");
  return std::make_unique<DeformConv>(std::move(a));
}

}  // namespace ortl::opset
