// ai.onnx.ml Binarizer: y = x > threshold ? 1 : 0, elementwise, in x's dtype (NaN -> 0).
#include "opset/text/text.h"
#include "opset/text/text_util.h"

namespace ortl::opset {
namespace {

constexpr std::initializer_list<DType> kTypes = {DType::kFloat, DType::kDouble, DType::kInt64, DType::kInt32};

class Binarizer final : public OpKernel {
 public:
  explicit Binarizer(float threshold) : threshold_(threshold) {}

  void infer(InferContext& ctx) const override {
    text::check_dtype(ctx, 0, kTypes, "Binarizer", "X");
    text::same_shape_as_input(ctx, ctx.input_dtype(0));
  }

  void run(RunContext& ctx) const override {
    const Tensor& x = *ctx.input(0);
    text::check_dtype(x, kTypes, "Binarizer", "X");
    Tensor& y = ctx.output(0, x.shape());
    dispatch_numeric(x.dtype(), "Binarizer", [&](auto v) {
      using T = decltype(v);
      const T* src = x.data_as<T>();
      T* dst = y.data_as<T>();
      // Compared in double: exact for float and int32, and for int64 near any float threshold.
      const double t = threshold_;
      ctx.par().for_range(x.numel(), 1.0, [&](int64_t b, int64_t e) {
        for (int64_t i = b; i < e; ++i) dst[i] = static_cast<double>(src[i]) > t ? T(1) : T(0);
      });
    });
  }

  std::vector<std::pair<int, int>> inplace() const override { return {{0, 0}}; }
  std::string kernel_name() const override { return "binarizer"; }

 private:
  float threshold_;
};

}  // namespace

std::unique_ptr<OpKernel> build_binarizer(const BuildContext& ctx) {
  return std::make_unique<Binarizer>(ctx.node.get_float("threshold", 0.0f));
}

}  // namespace ortl::opset
