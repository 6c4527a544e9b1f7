// Col2Im (18): input [N, C * prod(block_shape), L] -> [N, C, image_shape...], summing the
// sliding blocks back into the image (the inverse of im2col / torch.nn.Fold, any spatial rank).
// image_shape and block_shape are inputs: known at plan time they fix the output shape.
// float16 / bfloat16 compute in float.
#include "kernels/vision/vision.h"
#include "opset/vision/vision.h"
#include "opset/vision/vision_util.h"

namespace ortl::opset {
namespace {

class Col2Im final : public OpKernel {
 public:
  Col2Im(std::vector<int64_t> dil, std::vector<int64_t> pads, std::vector<int64_t> strides)
      : dil_(std::move(dil)), pads_(std::move(pads)), strides_(std::move(strides)) {}

  void infer(InferContext& ctx) const override {
    const TypeInfo& x = ctx.input_type(0);
    check(x.dtype == DType::kUndefined || supported(x.dtype), ErrorCode::kNotImplemented, "Col2Im: dtype ",
          dtype_name(x.dtype), " is not supported");
    check(x.rank() < 0 || x.rank() == 3, ErrorCode::kInvalidArgument, "Col2Im: input rank ", x.rank(), " != 3");
    std::vector<int64_t> image, block;
    const bool known = known_ints(ctx, 1, image) && known_ints(ctx, 2, block);
    if (!known) {
      const int r = ctx.input_type(1).has_shape && ctx.input_type(1).shape[0].known()
                        ? static_cast<int>(ctx.input_type(1).shape[0].value)
                        : -1;
      if (r < 0) return ctx.set_output(0, TypeInfo{x.dtype, false, {}});
      Shape out = fresh_dims(ctx, r + 2);
      if (x.has_shape) out[0] = x.shape[0];
      return ctx.set_output(0, TypeInfo::of(x.dtype, out));
    }
    check_attrs(image, block);
    Shape out{x.has_shape ? x.shape[0] : ctx.fresh_dim(), ctx.fresh_dim()};
    const int64_t bl = vision::numel(block);
    if (x.has_shape && x.shape[1].known() && bl > 0) {
      check(x.shape[1].value % bl == 0, ErrorCode::kInvalidArgument, "Col2Im: input dim 1 (", x.shape[1].value,
            ") is not a multiple of prod(block_shape) = ", bl);
      out[1] = Dim(x.shape[1].value / bl);
    }
    for (int64_t d : image) out.push_back(Dim(d));
    ctx.set_output(0, TypeInfo::of(x.dtype, out));
  }

  void run(RunContext& ctx) const override {
    vision::run_half_as_float(ctx, [this](RunContext& c) { run_wide(c); });
  }

  std::vector<int> shape_inputs() const override { return {1, 2}; }
  std::string kernel_name() const override { return "col2im_ref"; }

 private:
  static bool supported(DType dt) {
    return dt == DType::kFloat || dt == DType::kDouble || dt == DType::kFloat16 || dt == DType::kBFloat16 ||
           dt == DType::kInt8 || dt == DType::kInt16 || dt == DType::kInt32 || dt == DType::kInt64 ||
           dt == DType::kUInt8 || dt == DType::kUInt16 || dt == DType::kUInt32 || dt == DType::kUInt64;
  }

  // Validates the attributes against the spatial rank; fills the per-dim parameters.
  kernels::Col2ImParams check_attrs(const std::vector<int64_t>& image, const std::vector<int64_t>& block) const {
    const size_t r = image.size();
    check(r >= 1 && block.size() == r, ErrorCode::kInvalidArgument, "Col2Im: image_shape has ", r,
          " dims, block_shape ", block.size());
    kernels::Col2ImParams p;
    p.image = image;
    p.block = block;
    p.dilations = dil_.empty() ? std::vector<int64_t>(r, 1) : dil_;
    p.strides = strides_.empty() ? std::vector<int64_t>(r, 1) : strides_;
    const std::vector<int64_t> pads = pads_.empty() ? std::vector<int64_t>(2 * r, 0) : pads_;
    check(p.dilations.size() == r && p.strides.size() == r && pads.size() == 2 * r, ErrorCode::kInvalidArgument,
          "Col2Im: dilations, strides and pads must have ", r, ", ", r, " and ", 2 * r, " values");
    for (size_t d = 0; d < r; ++d) {
      if (image[d] <= 0 || block[d] <= 0 || p.dilations[d] <= 0 || p.strides[d] <= 0 || pads[d] < 0 ||
          pads[d + r] < 0) {
        fail(ErrorCode::kInvalidArgument,
             "Col2Im: image_shape, block_shape, dilations and strides must be "
             "positive, pads non-negative (dim ",
             d, ")");
      }
      p.pads_begin.push_back(pads[d]);
      const int64_t span = p.dilations[d] * (block[d] - 1) + 1;
      const int64_t cols = (image[d] + pads[d] + pads[d + r] - span) / p.strides[d] + 1;
      check(image[d] + pads[d] + pads[d + r] >= span, ErrorCode::kInvalidArgument, "Col2Im: block dim ", d, " (extent ",
            span, ") does not fit the padded image (", image[d] + pads[d] + pads[d + r], ")");
      p.cols.push_back(cols);
    }
    return p;
  }

  void run_wide(RunContext& ctx) const {
    const Tensor& x = *ctx.input(0);
    check(x.rank() == 3, ErrorCode::kInvalidArgument, "Col2Im: input rank ", x.rank(), " != 3");
    kernels::Col2ImParams p = check_attrs(input_ints(ctx, 1), input_ints(ctx, 2));
    const int64_t bl = vision::numel(p.block), l = vision::numel(p.cols);
    if (x.dim(1) % bl != 0 || x.dim(2) != l) {
      fail(ErrorCode::kInvalidArgument, "Col2Im: input ", shape_str(x.shape()), " must be [N, C * ", bl, ", ", l,
           "] for these block and image shapes");
    }
    p.batch = x.dim(0);
    p.channels = x.dim(1) / bl;
    std::vector<int64_t> out{p.batch, p.channels};
    out.insert(out.end(), p.image.begin(), p.image.end());
    Tensor& y = ctx.output(0, out);
    if (y.numel() == 0) return;
    dispatch_numeric(x.dtype(), "Col2Im", [&](auto tag) {
      using T = decltype(tag);
      kernels::col2im<T>(p, x.data_as<T>(), y.data_as<T>(), ctx.par());
    });
  }

  std::vector<int64_t> dil_, pads_, strides_;
};

}  // namespace

std::unique_ptr<OpKernel> build_col2im(const BuildContext& ctx) {
  const graph::Node& n = ctx.node;
  return std::make_unique<Col2Im>(n.get_ints("dilations"), n.get_ints("pads"), n.get_ints("strides"));
}

}  // namespace ortl::opset
