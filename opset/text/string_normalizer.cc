// StringNormalizer (opset 10): drops the elements of X ([C] or [1, C]) that are stop words, then
// upper- or lowercases the rest. When every element is dropped the output is one "" of shape
// [1] (or [1, 1]), as the spec says.
//
// Case changes use Unicode simple case mapping (kernels/text/text.h), which is what the default
// locale (en_US) does; locales with their own casing rules (Turkish, Azeri, Lithuanian) are
// refused rather than mapped wrongly.
#include <algorithm>
#include <unordered_set>

#include "kernels/text/text.h"
#include "opset/text/text.h"
#include "opset/text/text_util.h"

namespace ortl::opset {
namespace {

enum class CaseAction { kNone, kLower, kUpper };

std::string change_case(const std::string& s, CaseAction a) {
  switch (a) {
    case CaseAction::kLower: return kernels::to_lower(s);
    case CaseAction::kUpper: return kernels::to_upper(s);
    default: return s;
  }
}

class StringNormalizer final : public OpKernel {
 public:
  StringNormalizer(CaseAction action, bool case_sensitive, const std::vector<std::string>& stopwords)
      : action_(action), case_sensitive_(case_sensitive) {
    // Case-insensitive matching compares both sides after the same case change (lowercase unless
    // the action is UPPER), like onnxruntime.
    for (const std::string& w : stopwords) stopwords_.insert(case_sensitive_ ? w : fold(w));
  }

  void infer(InferContext& ctx) const override {
    text::check_dtype(ctx, 0, {DType::kString}, "StringNormalizer", "X");
    const TypeInfo& x = ctx.input_type(0);
    if (!x.has_shape) {
      ctx.set_output(0, TypeInfo{DType::kString, false, {}});
      return;
    }
    check_rank(x.shape);
    Shape ys = x.shape;
    const Dim c = ys.back();
    // Without stop words nothing is dropped, except that an empty input still yields one "".
    if (stopwords_.empty() && c.known()) {
      ys.back() = std::max<int64_t>(c.value, 1);
    } else {
      ys.back() = ctx.fresh_dim();
    }
    ctx.set_output(0, TypeInfo::of(DType::kString, ys));
  }

  void run(RunContext& ctx) const override {
    const Tensor& x = *ctx.input(0);
    text::check_dtype(x, {DType::kString}, "StringNormalizer", "X");
    check_rank(graph::from_concrete(x.shape()));
    const auto* src = x.data_as<std::string>();
    std::vector<std::string> kept;
    kept.reserve(static_cast<size_t>(x.numel()));
    for (int64_t i = 0; i < x.numel(); ++i) {
      if (!stopwords_.empty() && stopwords_.count(case_sensitive_ ? src[i] : fold(src[i]))) continue;
      kept.push_back(change_case(src[i], action_));
    }
    if (kept.empty()) kept.emplace_back();
    std::vector<int64_t> ys = x.shape();
    ys.back() = static_cast<int64_t>(kept.size());
    Tensor& y = ctx.output(0, ys);
    auto* dst = y.data_as<std::string>();
    for (size_t i = 0; i < kept.size(); ++i) dst[i] = std::move(kept[i]);
  }

  std::string kernel_name() const override { return "string_normalizer"; }

 private:
  std::string fold(const std::string& s) const {
    return change_case(s, action_ == CaseAction::kUpper ? CaseAction::kUpper : CaseAction::kLower);
  }

  static void check_rank(const Shape& s) {
    const bool ok = s.size() == 1 || (s.size() == 2 && (!s[0].known() || s[0].value == 1));
    if (!ok)
      fail(ErrorCode::kInvalidArgument, "StringNormalizer: X must have shape [C] or [1, C], got ", graph::shape_str(s));
  }

  CaseAction action_;
  bool case_sensitive_;
  std::unordered_set<std::string> stopwords_;
};

}  // namespace

std::unique_ptr<OpKernel> build_string_normalizer(const BuildContext& ctx) {
  const std::string action = ctx.node.get_string("case_change_action", "NONE");
  CaseAction a = CaseAction::kNone;
  if (action == "LOWER") {
    a = CaseAction::kLower;
  } else if (action == "UPPER") {
    a = CaseAction::kUpper;
  } else if (action != "NONE") {
    fail(ErrorCode::kInvalidArgument, "StringNormalizer: case_change_action must be LOWER, UPPER or NONE, got '",
         action, "'");
  }
  const std::string locale = ctx.node.get_string("locale", "");
  for (const char* special : {"tr", "az", "lt"}) {
    if (locale.rfind(special, 0) == 0 && (locale.size() == 2 || locale[2] == '_' || locale[2] == '-'))
      fail(ErrorCode::kNotImplemented, "StringNormalizer: locale '", locale,
           "' has its own case rules; only Unicode default case mapping is implemented");
  }
  return std::make_unique<StringNormalizer>(a, ctx.node.get_int("is_case_sensitive", 0) != 0,
                                            ctx.node.get_strings("stopwords"));
}

}  // namespace ortl::opset
