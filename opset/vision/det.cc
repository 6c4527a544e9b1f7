// Det (11, 22; 22 adds bfloat16): determinants of the square matrices in the last two dims,
// X [*, M, M] -> Y [*]. float16 / bfloat16 compute in float (the kernel itself works in double).
#include "kernels/vision/vision.h"
#include "opset/vision/vision.h"
#include "opset/vision/vision_util.h"

namespace ortl::opset {
namespace {

class Det final : public OpKernel {
 public:
  void infer(InferContext& ctx) const override {
    vision::check_float(ctx.input_dtype(0), "Det");
    const TypeInfo& x = ctx.input_type(0);
    if (!x.has_shape) return ctx.set_output(0, TypeInfo{x.dtype, false, {}});
    check(x.rank() >= 2, ErrorCode::kInvalidArgument, "Det: input rank ", x.rank(), " < 2");
    const Dim& m = x.shape[x.rank() - 2];
    const Dim& k = x.shape[x.rank() - 1];
    check(!m.known() || !k.known() || m.value == k.value, ErrorCode::kInvalidArgument, "Det: matrices ",
          graph::shape_str(x.shape), " are not square");
    ctx.set_output(0, TypeInfo::of(x.dtype, Shape(x.shape.begin(), x.shape.end() - 2)));
  }

  void run(RunContext& ctx) const override {
    vision::run_half_as_float(ctx, [](RunContext& c) { run_float(c); });
  }

  std::string kernel_name() const override { return "det_lu"; }

 private:
  static void run_float(RunContext& ctx) {
    const Tensor& x = *ctx.input(0);
    check(x.rank() >= 2 && x.dim(-1) == x.dim(-2), ErrorCode::kInvalidArgument, "Det: input ", shape_str(x.shape()),
          " must be [*, M, M]");
    const std::vector<int64_t> out(x.shape().begin(), x.shape().end() - 2);
    Tensor& y = ctx.output(0, out);
    if (y.numel() == 0) return;
    vision::dispatch_float(x.dtype(), "Det", [&](auto tag) {
      using T = decltype(tag);
      kernels::det<T>(x.data_as<T>(), y.numel(), x.dim(-1), y.data_as<T>());
    });
  }
};

}  // namespace

std::unique_ptr<OpKernel> build_det(const BuildContext&) { return std::make_unique<Det>(); }

}  // namespace ortl::opset
