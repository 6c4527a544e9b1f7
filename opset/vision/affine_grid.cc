// AffineGrid (20): theta [N, 2, 3] with size (N, C, H, W) -> grid [N, H, W, 2], or theta
// [N, 3, 4] with size (N, C, D, H, W) -> grid [N, D, H, W, 3]: the sampling grid GridSample
// takes, each base position (x, y[, z]) in [-1, 1] mapped through theta. `size` is an input;
// known at plan time it fixes the output shape. float16 / bfloat16 compute in float.
#include "kernels/vision/vision.h"
#include "opset/vision/vision.h"
#include "opset/vision/vision_util.h"

namespace ortl::opset {
namespace {

class AffineGrid final : public OpKernel {
 public:
  explicit AffineGrid(bool align_corners) : align_corners_(align_corners) {}

  void infer(InferContext& ctx) const override {
    vision::check_float(ctx.input_dtype(0), "AffineGrid");
    const TypeInfo& theta = ctx.input_type(0);
    check(theta.rank() < 0 || theta.rank() == 3, ErrorCode::kInvalidArgument, "AffineGrid: theta rank ", theta.rank(),
          " != 3");
    std::vector<int64_t> size;
    if (known_ints(ctx, 1, size)) {
      check_size(size);
      Shape out{Dim(size[0])};
      out.insert(out.end(), size.begin() + 2, size.end());
      out.push_back(Dim(static_cast<int64_t>(size.size()) - 2));
      return ctx.set_output(0, TypeInfo::of(theta.dtype, out));
    }
    const TypeInfo& st = ctx.input_type(1);
    if (!st.has_shape || st.rank() != 1 || !st.shape[0].known())
      return ctx.set_output(0, TypeInfo{theta.dtype, false, {}});
    const int64_t r = st.shape[0].value - 2;
    check(r == 2 || r == 3, ErrorCode::kInvalidArgument, "AffineGrid: size must have 4 or 5 values");
    Shape out = fresh_dims(ctx, r + 2);
    if (theta.has_shape) out[0] = theta.shape[0];
    out.back() = Dim(r);
    ctx.set_output(0, TypeInfo::of(theta.dtype, out));
  }

  void run(RunContext& ctx) const override {
    vision::run_half_as_float(ctx, [this](RunContext& c) { run_float(c); });
  }

  std::vector<int> shape_inputs() const override { return {1}; }
  std::string kernel_name() const override { return "affine_grid_ref"; }

 private:
  static void check_size(const std::vector<int64_t>& size) {
    check(size.size() == 4 || size.size() == 5, ErrorCode::kInvalidArgument, "AffineGrid: size has ", size.size(),
          " values, expected 4 (N, C, H, W) or 5 (N, C, D, H, W)");
    for (int64_t d : size) {
      check(d >= 0, ErrorCode::kInvalidArgument, "AffineGrid: size ", shape_str(size), " has a negative value");
    }
  }

  void run_float(RunContext& ctx) const {
    const Tensor& theta = *ctx.input(0);
    const std::vector<int64_t> size = input_ints(ctx, 1);
    check_size(size);
    const int64_t r = static_cast<int64_t>(size.size()) - 2;
    if (theta.rank() != 3 || theta.dim(0) != size[0] || theta.dim(1) != r || theta.dim(2) != r + 1) {
      fail(ErrorCode::kInvalidArgument, "AffineGrid: theta ", shape_str(theta.shape()), " must be [", size[0], ", ", r,
           ", ", r + 1, "] for size ", shape_str(size));
    }
    std::vector<int64_t> out{size[0]};
    out.insert(out.end(), size.begin() + 2, size.end());
    out.push_back(r);
    Tensor& y = ctx.output(0, out);
    if (y.numel() == 0) return;
    const std::vector<int64_t> spatial(size.begin() + 2, size.end());
    vision::dispatch_float(theta.dtype(), "AffineGrid", [&](auto tag) {
      using T = decltype(tag);
      kernels::affine_grid<T>(theta.data_as<T>(), size[0], spatial, align_corners_, y.data_as<T>());
    });
  }

  bool align_corners_;
};

}  // namespace

std::unique_ptr<OpKernel> build_affine_grid(const BuildContext& ctx) {
  return std::make_unique<AffineGrid>(ctx.node.get_int("align_corners", 0) != 0);
}

}  // namespace ortl::opset
