// StringSplit (opset 20): splits each string of X on `delimiter` (runs of whitespace when it is
// empty or absent) at most `maxsplit` times, following Python's str.split() as the ONNX reference
// does. Y has shape X.shape + [most substrings of any element], padded with ""; Z (int64, X's
// shape) holds each element's count.
#include <algorithm>
#include <limits>

#include "kernels/text/text.h"
#include "opset/text/text.h"
#include "opset/text/text_util.h"

namespace ortl::opset {
namespace {

class StringSplit final : public OpKernel {
 public:
  StringSplit(std::string delimiter, int64_t maxsplit) : delimiter_(std::move(delimiter)), maxsplit_(maxsplit) {}

  void infer(InferContext& ctx) const override {
    text::check_dtype(ctx, 0, {DType::kString}, "StringSplit", "X");
    const TypeInfo& x = ctx.input_type(0);
    if (!x.has_shape) {
      ctx.set_output(0, TypeInfo{DType::kString, false, {}});
      ctx.set_output(1, TypeInfo{DType::kInt64, false, {}});
      return;
    }
    Shape ys = x.shape;
    ys.push_back(ctx.fresh_dim());  // depends on the data
    if (const Tensor* v = ctx.input_value(0)) ys.back() = count_max(*v);
    ctx.set_output(0, TypeInfo::of(DType::kString, ys));
    ctx.set_output(1, TypeInfo::of(DType::kInt64, x.shape));
  }

  void run(RunContext& ctx) const override {
    const Tensor& x = *ctx.input(0);
    text::check_dtype(x, {DType::kString}, "StringSplit", "X");
    const auto* src = x.data_as<std::string>();
    const int64_t n = x.numel();
    // Two passes (count, then copy) keep only one element's pieces alive at a time.
    std::vector<int64_t> counts(static_cast<size_t>(n));
    std::vector<std::string_view> parts;
    int64_t widest = 0;
    for (int64_t i = 0; i < n; ++i) {
      kernels::split_python(src[i], delimiter_, maxsplit_, parts);
      counts[i] = static_cast<int64_t>(parts.size());
      widest = std::max(widest, counts[i]);
    }
    std::vector<int64_t> ys = x.shape();
    ys.push_back(widest);
    Tensor& y = ctx.output(0, ys);
    auto* dst = y.data_as<std::string>();
    for (int64_t i = 0; i < n; ++i) {
      kernels::split_python(src[i], delimiter_, maxsplit_, parts);
      std::string* row = dst + i * widest;
      for (int64_t k = 0; k < widest; ++k) {
        if (k < counts[i]) {
          row[k].assign(parts[k]);
        } else {
          row[k].clear();
        }
      }
    }
    if (ctx.has_output(1)) {
      Tensor& z = ctx.output(1, x.shape());
      std::copy(counts.begin(), counts.end(), z.data_as<int64_t>());
    }
  }

  std::string kernel_name() const override { return "string_split"; }

 private:
  int64_t count_max(const Tensor& x) const {
    std::vector<std::string_view> parts;
    int64_t widest = 0;
    for (int64_t i = 0; i < x.numel(); ++i) {
      kernels::split_python(x.data_as<std::string>()[i], delimiter_, maxsplit_, parts);
      widest = std::max(widest, static_cast<int64_t>(parts.size()));
    }
    return widest;
  }

  std::string delimiter_;
  int64_t maxsplit_;
};

}  // namespace

std::unique_ptr<OpKernel> build_string_split(const BuildContext& ctx) {
  const int64_t maxsplit = ctx.node.get_int("maxsplit", -1);
  if (ctx.node.has("maxsplit") && maxsplit < 0)
    fail(ErrorCode::kInvalidArgument, "StringSplit: maxsplit must be >= 0, got ", maxsplit);
  return std::make_unique<StringSplit>(ctx.node.get_string("delimiter", ""), maxsplit);
}

}  // namespace ortl::opset
