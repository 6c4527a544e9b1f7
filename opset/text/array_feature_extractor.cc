// ai.onnx.ml ArrayFeatureExtractor: Z = X[..., Y] with Y's indices flattened, so Z has shape
// X.shape[:-1] + [Y.size]; a 1-D X gives [1, Y.size], as in onnxruntime and the ONNX reference.
// Indices must lie in [0, X.shape[-1]).
#include "opset/text/text.h"
#include "opset/text/text_util.h"

namespace ortl::opset {
namespace {

constexpr std::initializer_list<DType> kTypes = {DType::kFloat, DType::kDouble, DType::kInt64, DType::kInt32,
                                                 DType::kString};

class ArrayFeatureExtractor final : public OpKernel {
 public:
  void infer(InferContext& ctx) const override {
    text::check_dtype(ctx, 0, kTypes, "ArrayFeatureExtractor", "X");
    text::check_dtype(ctx, 1, {DType::kInt64}, "ArrayFeatureExtractor", "Y");
    const TypeInfo& x = ctx.input_type(0);
    const TypeInfo& y = ctx.input_type(1);
    if (!x.has_shape || !y.has_shape) {
      ctx.set_output(0, TypeInfo{x.dtype, false, {}});
      return;
    }
    check_rank(x.rank());
    Shape zs = x.rank() == 1 ? Shape{1} : Shape(x.shape.begin(), x.shape.end() - 1);
    zs.push_back(dim_product(y.shape, 0, y.shape.size()));
    ctx.set_output(0, TypeInfo::of(x.dtype, zs));
  }

  void run(RunContext& ctx) const override {
    const Tensor& x = *ctx.input(0);
    const Tensor& y = *ctx.input(1);
    text::check_dtype(x, kTypes, "ArrayFeatureExtractor", "X");
    text::check_dtype(y, {DType::kInt64}, "ArrayFeatureExtractor", "Y");
    check_rank(x.rank());
    const int64_t width = x.dim(-1), rows = width > 0 ? x.numel() / width : 0, k = y.numel();
    const int64_t* idx = y.data_as<int64_t>();
    for (int64_t j = 0; j < k; ++j) {
      if (idx[j] < 0 || idx[j] >= width)
        fail(ErrorCode::kInvalidArgument, "ArrayFeatureExtractor: index ", idx[j], " is out of range [0, ", width, ")");
    }
    std::vector<int64_t> zs =
        x.rank() == 1 ? std::vector<int64_t>{1} : std::vector<int64_t>(x.shape().begin(), x.shape().end() - 1);
    zs.push_back(k);
    Tensor& z = ctx.output(0, zs);
    if (x.dtype() == DType::kString) {
      gather(x.data_as<std::string>(), z.data_as<std::string>(), rows, width, idx, k);
      return;
    }
    dispatch_by_size(x.dtype(), "ArrayFeatureExtractor", [&](auto v) {
      using T = decltype(v);
      gather(x.data_as<T>(), z.data_as<T>(), rows, width, idx, k);
    });
  }

  std::string kernel_name() const override { return "array_feature_extractor"; }

 private:
  template <class T>
  static void gather(const T* src, T* dst, int64_t rows, int64_t width, const int64_t* idx, int64_t k) {
    for (int64_t r = 0; r < rows; ++r)
      for (int64_t j = 0; j < k; ++j) dst[r * k + j] = src[r * width + idx[j]];
  }

  static void check_rank(int rank) {
    if (rank < 1) fail(ErrorCode::kInvalidArgument, "ArrayFeatureExtractor: X must have rank >= 1, got a scalar");
  }
};

}  // namespace

std::unique_ptr<OpKernel> build_array_feature_extractor(const BuildContext&) {
  return std::make_unique<ArrayFeatureExtractor>();
}

}  // namespace ortl::opset
