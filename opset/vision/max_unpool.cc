// MaxUnpool (9, 11, 22; 11 only clarified the docs, 22 adds bfloat16): X [N, C, d...] and the
// flat indices I that MaxPool returned -> Y zero-filled with X's values at those positions.
// The unpooled shape is inferred from kernel_shape, strides and pads; when the optional
// output_shape input asks for a larger tensor, the onnx reference places the inferred-shape
// result at its origin (indices keep addressing the inferred shape), and so does this op.
#include "kernels/vision/vision.h"
#include "opset/vision/vision.h"
#include "opset/vision/vision_util.h"

namespace ortl::opset {
namespace {

class MaxUnpool final : public OpKernel {
 public:
  MaxUnpool(std::vector<int64_t> kernel, std::vector<int64_t> pads, std::vector<int64_t> strides)
      : kernel_(std::move(kernel)), pads_(std::move(pads)), strides_(std::move(strides)) {}

  void infer(InferContext& ctx) const override {
    vision::check_float(ctx.input_dtype(0), "MaxUnpool");
    const TypeInfo& x = ctx.input_type(0);
    const int r = static_cast<int>(kernel_.size());
    check(x.rank() < 0 || x.rank() == r + 2, ErrorCode::kInvalidArgument, "MaxUnpool: X rank ", x.rank(),
          " does not fit kernel_shape of ", r, " dims");
    std::vector<int64_t> shape;
    if (ctx.has_input(2) && known_ints(ctx, 2, shape)) {
      if (x.has_shape && graph::all_known(x.shape)) check_output_shape(inferred(graph::to_concrete(x.shape)), shape);
      return ctx.set_output(0, TypeInfo::of(x.dtype, graph::from_concrete(shape)));
    }
    if (ctx.has_input(2) || !x.has_shape) {
      return ctx.set_output(0, TypeInfo::of(x.dtype, fresh_dims(ctx, r + 2)));
    }
    Shape out{x.shape[0], x.shape[1]};
    for (int d = 0; d < r; ++d) {
      const Dim& in = x.shape[d + 2];
      out.push_back(in.known() ? Dim(unpooled(in.value, d)) : ctx.fresh_dim());
    }
    ctx.set_output(0, TypeInfo::of(x.dtype, out));
  }

  void run(RunContext& ctx) const override {
    const Tensor& x = *ctx.input(0);
    const Tensor& idx = *ctx.input(1);
    check(vision::is_float(x.dtype()), ErrorCode::kNotImplemented, "MaxUnpool: dtype ", dtype_name(x.dtype()),
          " is not supported");
    check(x.rank() == static_cast<int>(kernel_.size()) + 2, ErrorCode::kInvalidArgument, "MaxUnpool: X rank ", x.rank(),
          " does not fit kernel_shape of ", kernel_.size(), " dims");
    check(idx.shape() == x.shape(), ErrorCode::kInvalidArgument, "MaxUnpool: I ", shape_str(idx.shape()),
          " must have X's shape ", shape_str(x.shape()));
    const std::vector<int64_t> inf = inferred(x.shape());
    std::vector<int64_t> out = inf;
    if (ctx.input(2)) {
      out = input_ints(ctx, 2);
      check_output_shape(inf, out);
    }
    const std::vector<int64_t> ind = ints_of(idx);
    const int64_t limit = vision::numel(inf);
    for (int64_t i : ind) {
      check(i >= 0 && i < limit, ErrorCode::kInvalidArgument, "MaxUnpool: index ", i, " is outside [0, ", limit,
            ") for the unpooled shape ", shape_str(inf));
    }
    Tensor& y = ctx.output(0, out);
    kernels::max_unpool(x.data(), ind.data(), x.numel(), dtype_size(x.dtype()), inf, out, y.data());
  }

  std::vector<int> shape_inputs() const override { return {2}; }
  std::string kernel_name() const override { return "max_unpool_ref"; }

 private:
  int64_t unpooled(int64_t in, int d) const {
    const size_t r = kernel_.size();
    return (in - 1) * strides_[d] - (pads_[d] + pads_[d + r]) + kernel_[d];
  }

  std::vector<int64_t> inferred(const std::vector<int64_t>& x) const {
    std::vector<int64_t> s{x[0], x[1]};
    for (size_t d = 0; d < kernel_.size(); ++d) {
      const int64_t v = unpooled(x[d + 2], static_cast<int>(d));
      check(v >= 0, ErrorCode::kInvalidArgument, "MaxUnpool: unpooled dim ", d, " would be ", v);
      s.push_back(v);
    }
    return s;
  }

  static void check_output_shape(const std::vector<int64_t>& inf, const std::vector<int64_t>& out) {
    bool ok = out.size() == inf.size();
    for (size_t d = 0; ok && d < out.size(); ++d) ok = out[d] >= inf[d] && (d >= 2 || out[d] == inf[d]);
    check(ok, ErrorCode::kInvalidArgument, "MaxUnpool: output_shape ", shape_str(out),
          " must keep N and C and be at least the unpooled shape ", shape_str(inf));
  }

  std::vector<int64_t> kernel_, pads_, strides_;
};

}  // namespace

std::unique_ptr<OpKernel> build_max_unpool(const BuildContext& ctx) {
  const graph::Node& n = ctx.node;
  check(n.has("kernel_shape"), ErrorCode::kInvalidArgument, "MaxUnpool: attribute 'kernel_shape' is required");
  std::vector<int64_t> kernel = n.get_ints("kernel_shape");
  const size_t r = kernel.size();
  std::vector<int64_t> pads = n.get_ints("pads", std::vector<int64_t>(2 * r, 0));
  std::vector<int64_t> strides = n.get_ints("strides", std::vector<int64_t>(r, 1));
  check(r >= 1 && pads.size() == 2 * r && strides.size() == r, ErrorCode::kInvalidArgument,
        "MaxUnpool: kernel_shape, strides and pads must have r, r and 2r values");
  for (size_t d = 0; d < r; ++d) {
    if (kernel[d] <= 0 || strides[d] <= 0 || pads[d] < 0 || pads[d + r] < 0) {
      fail(ErrorCode::kInvalidArgument, "MaxUnpool: kernel_shape and strides must be positive, pads non-negative");
    }
  }
  return std::make_unique<MaxUnpool>(std::move(kernel), std::move(pads), std::move(strides));
}

}  // namespace ortl::opset
