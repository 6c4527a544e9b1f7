// StringConcat, StringSplit, StringNormalizer and RegexFullMatch on hand-checked cases: empty
// strings, empty tensors, broadcasting, UTF-8 text, and bad attributes / inputs.
#include "tests/text/harness.h"

namespace ortl::texttest {
namespace {

std::vector<std::string> s(const Tensor& t) { return values<std::string>(t); }

// ---- StringConcat ----------------------------------------------------------------------

TEST(StringConcat, BroadcastsAndKeepsUtf8) {
  const Op op("StringConcat", 20);
  auto y = op.run({strs({3}, {"abc", "", "的"}), strs({1}, {"x"})});
  EXPECT_EQ(y[0].shape(), (std::vector<int64_t>{3}));
  EXPECT_EQ(s(y[0]), (std::vector<std::string>{"abcx", "x", "的x"}));
  y = op.run({strs({2, 1}, {"a", "b"}), strs({3}, {"1", "", "中"})});
  EXPECT_EQ(y[0].shape(), (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(s(y[0]), (std::vector<std::string>{"a1", "a", "a中", "b1", "b", "b中"}));
  y = op.run({strs({}, {""}), strs({}, {""})});
  EXPECT_EQ(y[0].shape(), std::vector<int64_t>{});
  EXPECT_EQ(s(y[0]), (std::vector<std::string>{""}));
}

TEST(StringConcat, EmptyTensors) {
  const Op op("StringConcat", 20);
  auto y = op.run({strs({0}, {}), strs({1}, {"x"})});
  EXPECT_EQ(y[0].shape(), (std::vector<int64_t>{0}));
  y = op.run({strs({2, 0}, {}), strs({0}, {})});
  EXPECT_EQ(y[0].shape(), (std::vector<int64_t>{2, 0}));
}

TEST(StringConcat, Errors) {
  const Op op("StringConcat", 20);
  EXPECT_EQ(error_of([&] {
              op.run({strs({2}, {"a", "b"}), strs({3}, {"a", "b", "c"})});
            }),
            ErrorCode::kInvalidArgument);
  std::string msg;
  EXPECT_EQ(error_of(
                [&] {
                  op.run({make<int64_t>(DType::kInt64, {1}, {1}), strs({1}, {"a"})});
                },
                &msg),
            ErrorCode::kInvalidArgument);
  EXPECT_NE(msg.find("int64"), std::string::npos) << msg;
}

// ---- StringSplit -------------------------------------------------------------------------

TEST(StringSplit, DelimiterPadsToWidestRow) {
  auto y = Op("StringSplit", 20).attr("delimiter", attr_s(",")).run({strs({3}, {"a,b,,c", "", ","})}, 2);
  EXPECT_EQ(y[0].shape(), (std::vector<int64_t>{3, 4}));
  EXPECT_EQ(s(y[0]), (std::vector<std::string>{"a", "b", "", "c", "", "", "", "", "", "", "", ""}));
  EXPECT_EQ(values<int64_t>(y[1]), (std::vector<int64_t>{4, 1, 2}));
}

TEST(StringSplit, WhitespaceAndMaxsplit) {
  auto y = Op("StringSplit", 20).run({strs({2, 2}, {" a  b ", "", "   ", "x\u3000中"})}, 2);
  EXPECT_EQ(y[0].shape(), (std::vector<int64_t>{2, 2, 2}));
  EXPECT_EQ(s(y[0]), (std::vector<std::string>{"a", "b", "", "", "", "", "x", "中"}));
  EXPECT_EQ(values<int64_t>(y[1]), (std::vector<int64_t>{2, 0, 0, 2}));
  y = Op("StringSplit", 20).attr("maxsplit", attr_i(1)).run({strs({2}, {"  a b  c ", "q"})}, 2);
  EXPECT_EQ(s(y[0]), (std::vector<std::string>{"a", "b  c ", "q", ""}));
  EXPECT_EQ(values<int64_t>(y[1]), (std::vector<int64_t>{2, 1}));
  y = Op("StringSplit", 20).attr("delimiter", attr_s("的")).attr("maxsplit", attr_i(0)).run({strs({1}, {"你的书"})}, 2);
  EXPECT_EQ(s(y[0]), (std::vector<std::string>{"你的书"}));
}

TEST(StringSplit, EmptyTensor) {
  auto y = Op("StringSplit", 20).attr("delimiter", attr_s("-")).run({strs({2, 0}, {})}, 2);
  EXPECT_EQ(y[0].shape(), (std::vector<int64_t>{2, 0, 0}));
  EXPECT_EQ(y[1].shape(), (std::vector<int64_t>{2, 0}));
}

TEST(StringSplit, Errors) {
  std::string msg;
  EXPECT_EQ(error_of([&] { Op("StringSplit", 20).attr("maxsplit", attr_i(-2)).build(); }, &msg),
            ErrorCode::kInvalidArgument);
  EXPECT_NE(msg.find("maxsplit"), std::string::npos) << msg;
  EXPECT_EQ(error_of([&] { Op("StringSplit", 20).run({make<float>(DType::kFloat, {1}, {1.f})}, 2); }),
            ErrorCode::kInvalidArgument);
}

// ---- StringNormalizer --------------------------------------------------------------------

TEST(StringNormalizer, CaseInsensitiveStopwordsThenLower) {
  auto y = Op("StringNormalizer", 10)
               .attr("case_change_action", attr_s("LOWER"))
               .attr("stopwords", attr_strings({"THE", "ÉCOLE"}))
               .run({strs({5}, {"The", "Cat", "the", "école", ""})});
  EXPECT_EQ(s(y[0]), (std::vector<std::string>{"cat", ""}));
}

TEST(StringNormalizer, CaseSensitiveStopwordsThenUpper) {
  auto y = Op("StringNormalizer", 10)
               .attr("case_change_action", attr_s("UPPER"))
               .attr("is_case_sensitive", attr_i(1))
               .attr("stopwords", attr_strings({"the"}))
               .run({strs({1, 4}, {"The", "the", "straße", "привет"})});
  EXPECT_EQ(y[0].shape(), (std::vector<int64_t>{1, 3}));
  EXPECT_EQ(s(y[0]), (std::vector<std::string>{"THE", "STRAßE", "ПРИВЕТ"}));
}

TEST(StringNormalizer, EverythingDroppedOrEmpty) {
  const Op op = Op("StringNormalizer", 10).attr("stopwords", attr_strings({"a"}));
  auto y = op.run({strs({1, 2}, {"a", "A"})});  // case-insensitive by default
  EXPECT_EQ(y[0].shape(), (std::vector<int64_t>{1, 1}));
  EXPECT_EQ(s(y[0]), (std::vector<std::string>{""}));
  y = Op("StringNormalizer", 10).run({strs({0}, {})});
  EXPECT_EQ(y[0].shape(), (std::vector<int64_t>{1}));
  EXPECT_EQ(s(y[0]), (std::vector<std::string>{""}));
  y = Op("StringNormalizer", 10).attr("case_change_action", attr_s("NONE")).run({strs({2}, {"Ab", "ÉÀ"})});
  EXPECT_EQ(s(y[0]), (std::vector<std::string>{"Ab", "ÉÀ"}));
}

TEST(StringNormalizer, Errors) {
  std::string msg;
  EXPECT_EQ(error_of([&] { Op("StringNormalizer", 10).attr("case_change_action", attr_s("TITLE")).build(); }, &msg),
            ErrorCode::kInvalidArgument);
  EXPECT_NE(msg.find("TITLE"), std::string::npos) << msg;
  EXPECT_EQ(error_of([&] { Op("StringNormalizer", 10).attr("locale", attr_s("tr_TR.UTF-8")).build(); }),
            ErrorCode::kNotImplemented);
  EXPECT_EQ(error_of([&] {
              Op("StringNormalizer", 10).run({strs({2, 2}, {"a", "b", "c", "d"})});
            }),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(error_of([&] { Op("StringNormalizer", 10).run({strs({1, 1, 1}, {"a"})}); }), ErrorCode::kInvalidArgument);
}

// ---- RegexFullMatch ----------------------------------------------------------------------

std::vector<uint8_t> match(const std::string& pattern, const std::vector<std::string>& in) {
  auto y = Op("RegexFullMatch", 20).attr("pattern", attr_s(pattern)).run({strs({static_cast<int64_t>(in.size())}, in)});
  EXPECT_EQ(y[0].dtype(), DType::kBool);
  return values<uint8_t>(y[0]);
}
using B = std::vector<uint8_t>;

TEST(RegexFullMatch, ConformancePatterns) {
  EXPECT_EQ(match(R"(www\.[\w.-]+\.\bcom\b)", {"www.google.com", "www.facebook.com", "www.bbc.co.uk"}), (B{1, 1, 0}));
  EXPECT_EQ(match(R"((\W|^)[\w.\-]{0,25}@(yahoo|gmail)\.com(\W|$))",
                  {"account@gmail.com", "account@hotmail.com", "not email", "account2@yahoo.com"}),
            (B{1, 0, 0, 1}));
}

TEST(RegexFullMatch, Re2Semantics) {
  EXPECT_EQ(match("a.c", {"abc", "a\nc", "a\rc", "a的c", "ac"}), (B{1, 0, 1, 1, 0}));  // . is one code point
  EXPECT_EQ(match("(?s)a.c", {"a\nc"}), (B{1}));
  EXPECT_EQ(match("(?i)héllo", {"HéLLo", "hello"}), (B{1, 0}));
  EXPECT_EQ(match(R"(\d+)", {"123", "١٢", ""}), (B{1, 0, 0}));  // ASCII digits only
  EXPECT_EQ(match(R"(\w+\s\w+)", {"ab c_9", "é x", "a\vb"}), (B{1, 0, 0}));
  EXPECT_EQ(match("a{b}c{", {"a{b}c{"}), (B{1}));  // braces that are no repeat are literals
  EXPECT_EQ(match(R"(\Q.*+\E!)", {".*+!", "ab!"}), (B{1, 0}));
  EXPECT_EQ(match(R"(\x{4E2D}\x41\101)", {"中AA"}), (B{1}));
  EXPECT_EQ(match("[[:alpha:]]+[[:digit:]]", {"abc1", "ab"}), (B{1, 0}));
  EXPECT_EQ(match("[^a]", {"的", "a", "ab"}), (B{1, 0, 0}));
  EXPECT_EQ(match("[]a]+", {"]a]"}), (B{1}));
  EXPECT_EQ(match("(?P<year>[0-9]{4})-(?<m>[0-9]{2})", {"2024-05", "24-05"}), (B{1, 0}));
  EXPECT_EQ(match(R"(\Aab\z)", {"ab"}), (B{1}));
  EXPECT_EQ(match("", {"", "a"}), (B{1, 0}));
  EXPECT_EQ(match("a|", {"", "a", "b"}), (B{1, 1, 0}));
}

TEST(RegexFullMatch, EmptyTensorAndLongInput) {
  auto y = Op("RegexFullMatch", 20).attr("pattern", attr_s("a+")).run({strs({2, 0}, {})});
  EXPECT_EQ(y[0].shape(), (std::vector<int64_t>{2, 0}));
  // No backtracking recursion: a long subject neither overflows the stack nor blows up.
  EXPECT_EQ(match("(a|b)*c?", {std::string(200000, 'a')}), (B{1}));
  EXPECT_EQ(match("(a*)*b", {std::string(40, 'a')}), (B{0}));
}

TEST(RegexFullMatch, Errors) {
  auto code = [](const std::string& p) {
    return error_of([&] { Op("RegexFullMatch", 20).attr("pattern", attr_s(p)).build(); });
  };
  EXPECT_EQ(code("(a"), ErrorCode::kInvalidArgument);
  EXPECT_EQ(code("(a)\\1"), ErrorCode::kInvalidArgument);  // backreference
  EXPECT_EQ(code("a(?=b)"), ErrorCode::kInvalidArgument);  // lookahead
  EXPECT_EQ(code("a{2,1}"), ErrorCode::kInvalidArgument);
  EXPECT_EQ(code("a{1001}"), ErrorCode::kInvalidArgument);
  EXPECT_EQ(code("[a"), ErrorCode::kInvalidArgument);
  EXPECT_EQ(code("\\q"), ErrorCode::kInvalidArgument);
  EXPECT_EQ(code("\\pL"), ErrorCode::kNotImplemented);
  EXPECT_EQ(code("a(?i)b"), ErrorCode::kNotImplemented);
  std::string msg;
  EXPECT_EQ(error_of([&] { Op("RegexFullMatch", 20).build(); }, &msg), ErrorCode::kInvalidArgument);
  EXPECT_NE(msg.find("pattern"), std::string::npos) << msg;
  EXPECT_EQ(error_of([&] {
              Op("RegexFullMatch", 20).attr("pattern", attr_s("a")).run({make<int32_t>(DType::kInt32, {1}, {1})});
            }),
            ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace ortl::texttest
