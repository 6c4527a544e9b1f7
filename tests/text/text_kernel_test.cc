// kernels/text: UTF-8 decoding (malformed input round-trips), simple case mapping, and
// Python-compatible splitting, on hand-checked strings.
#include <gtest/gtest.h>

#include "kernels/text/text.h"

namespace ortl::kernels {
namespace {

std::vector<std::string> split(std::string_view s, std::string_view sep, int64_t maxsplit = -1) {
  std::vector<std::string_view> parts;
  split_python(s, sep, maxsplit, parts);
  return std::vector<std::string>(parts.begin(), parts.end());
}

TEST(TextKernel, Utf8DecodeAndRoundTrip) {
  EXPECT_EQ(utf8_decode("a\xC3\xA9\xE4\xB8\xAD\xF0\x9F\x98\x80"), (std::u32string{U'a', 0xE9, 0x4E2D, 0x1F600}));
  // Truncated, overlong and stray continuation bytes decode one byte at a time and re-encode
  // to the same bytes.
  for (std::string bad : {std::string("\xE4\xB8"), std::string("\xC0\xAF"), std::string("\x80x"),
                          std::string("\xED\xA0\x80"), std::string("\xF4\x90\x80\x80")}) {
    const std::u32string d = utf8_decode(bad);
    std::string back;
    for (char32_t c : d) utf8_append(c, back);
    EXPECT_EQ(back, bad);
    EXPECT_EQ(d.size(), bad.size());  // every byte here is malformed (or ASCII)
  }
  EXPECT_TRUE(utf8_decode("").empty());
}

TEST(TextKernel, SimpleCaseMapping) {
  EXPECT_EQ(to_upper("abc XYZ 09_"), "ABC XYZ 09_");
  EXPECT_EQ(to_lower("ÀÉÎÕÜ Ÿ"), "àéîõü ÿ");
  EXPECT_EQ(to_upper("àéîõü ÿ"), "ÀÉÎÕÜ Ÿ");
  EXPECT_EQ(to_upper("straße"), "STRAßE");  // no one-to-one uppercase for ß
  EXPECT_EQ(to_upper("привет"), "ПРИВЕТ");
  EXPECT_EQ(to_lower("ΣΊΣΥΦΟΣ"), "σίσυφοσ");
  EXPECT_EQ(to_upper("ς"), "Σ");
  EXPECT_EQ(to_lower("ĀĂĄ Ǎ"), "āăą ǎ");
  EXPECT_EQ(to_upper("ắ ỳ"), "Ắ Ỳ");
  EXPECT_EQ(to_upper("中文 😀"), "中文 😀");
  EXPECT_EQ(to_lower("İ"), "i");
  EXPECT_EQ(to_upper("ı"), "I");
  EXPECT_EQ(to_upper("\xFF"
                     "a"),
            "\xFF"
            "A");  // malformed bytes pass through
  EXPECT_EQ(simple_upper(0xB5), char32_t{0x39C});
  EXPECT_EQ(simple_lower(0x39C), char32_t{0x3BC});
}

TEST(TextKernel, SplitWithSeparator) {
  EXPECT_EQ(split("a,b,,c", ","), (std::vector<std::string>{"a", "b", "", "c"}));
  EXPECT_EQ(split("", ","), (std::vector<std::string>{""}));
  EXPECT_EQ(split(",", ","), (std::vector<std::string>{"", ""}));
  EXPECT_EQ(split("a::b:c::", "::"), (std::vector<std::string>{"a", "b:c", ""}));
  EXPECT_EQ(split("a,b,c", ",", 1), (std::vector<std::string>{"a", "b,c"}));
  EXPECT_EQ(split("a,b,c", ",", 0), (std::vector<std::string>{"a,b,c"}));
  EXPECT_EQ(split("你的书的", "的"), (std::vector<std::string>{"你", "书", ""}));
}

TEST(TextKernel, SplitOnWhitespace) {
  EXPECT_EQ(split("  hello   world ! ", ""), (std::vector<std::string>{"hello", "world", "!"}));
  EXPECT_EQ(split("", ""), std::vector<std::string>{});
  EXPECT_EQ(split(" \t\n ", ""), std::vector<std::string>{});
  EXPECT_EQ(split("中\u3000文\u00A0字", ""), (std::vector<std::string>{"中", "文", "字"}));
  EXPECT_EQ(split("  a b  c ", "", 1), (std::vector<std::string>{"a", "b  c "}));
  EXPECT_EQ(split("  a b ", "", 0), (std::vector<std::string>{"a b "}));
  EXPECT_EQ(split("a  ", "", 1), (std::vector<std::string>{"a"}));
}

}  // namespace
}  // namespace ortl::kernels
