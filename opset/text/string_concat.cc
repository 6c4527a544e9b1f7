// StringConcat (opset 20): elementwise x + y over string tensors with numpy broadcasting.
#include "kernels/eltwise/broadcast.h"
#include "opset/text/text.h"
#include "opset/text/text_util.h"

namespace ortl::opset {
namespace {

class StringConcat final : public OpKernel {
 public:
  void infer(InferContext& ctx) const override {
    text::check_dtype(ctx, 0, {DType::kString}, "StringConcat", "X");
    text::check_dtype(ctx, 1, {DType::kString}, "StringConcat", "Y");
    const TypeInfo& a = ctx.input_type(0);
    const TypeInfo& b = ctx.input_type(1);
    if (!a.has_shape || !b.has_shape) {
      ctx.set_output(0, TypeInfo{DType::kString, false, {}});
      return;
    }
    ctx.set_output(0, TypeInfo::of(DType::kString, broadcast_shapes(a.shape, b.shape)));
  }

  void run(RunContext& ctx) const override {
    const Tensor& a = *ctx.input(0);
    const Tensor& b = *ctx.input(1);
    text::check_dtype(a, {DType::kString}, "StringConcat", "X");
    text::check_dtype(b, {DType::kString}, "StringConcat", "Y");
    const std::vector<int64_t> shape = broadcast_shapes(a.shape(), b.shape());
    Tensor& out = ctx.output(0, shape);
    const auto plan = kernels::make_broadcast_plan(shape, {a.shape(), b.shape()});
    const auto* x = a.data_as<std::string>();
    const auto* y = b.data_as<std::string>();
    auto* d = out.data_as<std::string>();
    const int64_t sa = plan.inner_stride(0), sb = plan.inner_stride(1);
    kernels::parallel_runs(plan, ctx.par(), 20.0, [&](int64_t o, const int64_t* in, int64_t n) {
      for (int64_t i = 0; i < n; ++i) {
        const std::string& l = x[in[0] + i * sa];
        const std::string& r = y[in[1] + i * sb];
        std::string& dst = d[o + i];
        dst.reserve(l.size() + r.size());
        dst.assign(l).append(r);
      }
    });
  }

  std::string kernel_name() const override { return "string_concat"; }
};

}  // namespace

std::unique_ptr<OpKernel> build_string_concat(const BuildContext&) { return std::make_unique<StringConcat>(); }

}  // namespace ortl::opset
