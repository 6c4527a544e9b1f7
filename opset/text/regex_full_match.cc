// RegexFullMatch (opset 20): Y[i] = whether the whole of X[i] matches `pattern` (RE2 syntax,
// see re2_syntax.h). Strings are matched as UTF-8 code points.
#include <atomic>

#include "kernels/text/text.h"
#include "opset/text/re2_syntax.h"
#include "opset/text/text.h"
#include "opset/text/text_util.h"

namespace ortl::opset {
namespace {

class RegexFullMatch final : public OpKernel {
 public:
  explicit RegexFullMatch(const std::string& pattern) : re_(text::compile_re2(pattern)) {}

  void infer(InferContext& ctx) const override {
    text::check_dtype(ctx, 0, {DType::kString}, "RegexFullMatch", "X");
    text::same_shape_as_input(ctx, DType::kBool);
  }

  void run(RunContext& ctx) const override {
    const Tensor& x = *ctx.input(0);
    text::check_dtype(x, {DType::kString}, "RegexFullMatch", "X");
    Tensor& y = ctx.output(0, x.shape());
    const auto* src = x.data_as<std::string>();
    auto* dst = y.data_as<uint8_t>();
    // std::regex_match on a const regex is safe from several threads. Its errors (resource
    // limits) are caught per chunk and reported once the loop is done.
    std::atomic<bool> failed{false};
    ctx.par().for_range(x.numel(), 2000.0, [&](int64_t b, int64_t e) {
      std::wstring w;
      try {
        for (int64_t i = b; i < e; ++i) {
          w.clear();
          const std::string& s = src[i];
          for (size_t k = 0; k < s.size();) w += static_cast<wchar_t>(kernels::utf8_next(s, k));
          dst[i] = std::regex_match(w, re_) ? 1 : 0;
        }
      } catch (const std::regex_error&) {
        failed = true;
      }
    });
    if (failed) fail(ErrorCode::kRuntime, "RegexFullMatch: matching exceeded std::regex's resource limits");
  }

  std::string kernel_name() const override { return "regex_full_match_std"; }

 private:
  std::wregex re_;
};

}  // namespace

std::unique_ptr<OpKernel> build_regex_full_match(const BuildContext& ctx) {
  const graph::Attribute* a = ctx.node.attr("pattern");
  if (!a) fail(ErrorCode::kInvalidArgument, "RegexFullMatch: the 'pattern' attribute is required");
  return std::make_unique<RegexFullMatch>(ctx.node.get_string("pattern", ""));
}

}  // namespace ortl::opset
