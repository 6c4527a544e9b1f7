// UTF-8, simple case mapping and Python-style splitting for the text ops (see text.h).
#include "kernels/text/text.h"

#include <algorithm>
#include <iterator>

namespace ortl::kernels {
namespace {

constexpr char32_t kEscapeBase = 0xDC80;  // surrogateescape: raw byte b decodes to U+DC80 + b

// Upper/lower pairs from UnicodeData.txt. kOffset: uppercase [lo, hi] maps to lower + (c - lo).
// kAlternate: lo, lo + 2, ..., hi are uppercase, each followed by its lowercase.
enum class Run { kOffset, kAlternate };
struct CaseRange {
  char32_t lo, hi, lower;
  Run run;
};

constexpr CaseRange kRanges[] = {
    {0x0041, 0x005A, 0x0061, Run::kOffset},  // ASCII
    {0x00C0, 0x00D6, 0x00E0, Run::kOffset},  // Latin-1
    {0x00D8, 0x00DE, 0x00F8, Run::kOffset},  //
    {0x0100, 0x012E, 0, Run::kAlternate},    // Latin Extended-A
    {0x0132, 0x0136, 0, Run::kAlternate},    //
    {0x0139, 0x0147, 0, Run::kAlternate},    //
    {0x014A, 0x0176, 0, Run::kAlternate},    //
    {0x0179, 0x017D, 0, Run::kAlternate},    //
    {0x01CD, 0x01DB, 0, Run::kAlternate},    // Latin Extended-B (the regular parts)
    {0x01DE, 0x01EE, 0, Run::kAlternate},    //
    {0x01F8, 0x021E, 0, Run::kAlternate},    //
    {0x0222, 0x0232, 0, Run::kAlternate},    //
    {0x0246, 0x024E, 0, Run::kAlternate},    //
    {0x0386, 0x0386, 0x03AC, Run::kOffset},  // Greek
    {0x0388, 0x038A, 0x03AD, Run::kOffset},  //
    {0x038C, 0x038C, 0x03CC, Run::kOffset},  //
    {0x038E, 0x038F, 0x03CD, Run::kOffset},  //
    {0x0391, 0x03A1, 0x03B1, Run::kOffset},  //
    {0x03A3, 0x03AB, 0x03C3, Run::kOffset},  //
    {0x03D8, 0x03EE, 0, Run::kAlternate},    //
    {0x0400, 0x040F, 0x0450, Run::kOffset},  // Cyrillic
    {0x0410, 0x042F, 0x0430, Run::kOffset},  //
    {0x0460, 0x0480, 0, Run::kAlternate},    //
    {0x048A, 0x04BE, 0, Run::kAlternate},    //
    {0x04C0, 0x04C0, 0x04CF, Run::kOffset},  //
    {0x04C1, 0x04CD, 0, Run::kAlternate},    //
    {0x04D0, 0x052E, 0, Run::kAlternate},    //
    {0x0531, 0x0556, 0x0561, Run::kOffset},  // Armenian
    {0x10A0, 0x10C5, 0x2D00, Run::kOffset},  // Georgian
    {0x1E00, 0x1E94, 0, Run::kAlternate},    // Latin Extended Additional
    {0x1EA0, 0x1EFE, 0, Run::kAlternate},    //
    {0x2160, 0x216F, 0x2170, Run::kOffset},  // Roman numerals
    {0x24B6, 0x24CF, 0x24D0, Run::kOffset},  // circled letters
    {0xFF21, 0xFF3A, 0xFF41, Run::kOffset},  // full-width Latin
};

// Pairs that fit no run, and one-way mappings (dotted İ lowercases to i, but i uppercases to I).
struct CasePair {
  char32_t from, to;
};
constexpr CasePair kExtraLower[] = {{0x0130, 0x0069}, {0x0178, 0x00FF}, {0x1E9E, 0x00DF}};
constexpr CasePair kExtraUpper[] = {
    {0x00B5, 0x039C}, {0x00FF, 0x0178}, {0x0131, 0x0049}, {0x017F, 0x0053}, {0x03C2, 0x03A3}};

char32_t lookup_pair(const CasePair* begin, const CasePair* end, char32_t c) {
  for (const CasePair* p = begin; p != end; ++p)
    if (p->from == c) return p->to;
  return c;
}

bool all_ascii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char ch) { return static_cast<unsigned char>(ch) < 0x80; });
}

template <class Map>
std::string map_code_points(std::string_view s, Map&& map) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) utf8_append(map(utf8_next(s, i)), out);
  return out;
}

bool is_ascii_space(char32_t c) { return c == ' ' || (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x1F); }

}  // namespace

char32_t utf8_next(std::string_view s, size_t& i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) {
    ++i;
    return b0;
  }
  int len = 0;
  char32_t c = 0, min = 0;
  if ((b0 & 0xE0) == 0xC0) {
    len = 2, c = b0 & 0x1F, min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3, c = b0 & 0x0F, min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4, c = b0 & 0x07, min = 0x10000;
  }
  bool ok = len > 0 && i + len <= s.size();
  for (int k = 1; ok && k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    ok = (b & 0xC0) == 0x80;
    c = (c << 6) | (b & 0x3F);
  }
  // Overlong forms, surrogates and values past U+10FFFF are malformed too.
  if (!ok || c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
    ++i;
    return kEscapeBase + b0;
  }
  i += len;
  return c;
}

void utf8_append(char32_t c, std::string& out) {
  if (c >= kEscapeBase + 0x80 && c <= kEscapeBase + 0xFF) {
    out += static_cast<char>(c - kEscapeBase);
  } else if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

std::u32string utf8_decode(std::string_view s) {
  std::u32string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) out += utf8_next(s, i);
  return out;
}

char32_t simple_lower(char32_t c) {
  if (c < 0x80) return c >= 'A' && c <= 'Z' ? c + 32 : c;
  for (const CaseRange& r : kRanges) {
    if (c < r.lo || c > r.hi) continue;
    if (r.run == Run::kOffset) return c - r.lo + r.lower;
    if ((c - r.lo) % 2 == 0) return c + 1;
  }
  return lookup_pair(std::begin(kExtraLower), std::end(kExtraLower), c);
}

char32_t simple_upper(char32_t c) {
  if (c < 0x80) return c >= 'a' && c <= 'z' ? c - 32 : c;
  for (const CaseRange& r : kRanges) {
    if (r.run == Run::kOffset) {
      if (c >= r.lower && c <= r.lower + (r.hi - r.lo)) return c - r.lower + r.lo;
    } else if (c > r.lo && c <= r.hi + 1 && (c - r.lo) % 2 == 1) {
      return c - 1;
    }
  }
  return lookup_pair(std::begin(kExtraUpper), std::end(kExtraUpper), c);
}

std::string to_upper(std::string_view s) {
  if (all_ascii(s)) {
    std::string out(s);
    for (char& ch : out)
      if (ch >= 'a' && ch <= 'z') ch = static_cast<char>(ch - 32);
    return out;
  }
  return map_code_points(s, simple_upper);
}

std::string to_lower(std::string_view s) {
  if (all_ascii(s)) {
    std::string out(s);
    for (char& ch : out)
      if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch + 32);
    return out;
  }
  return map_code_points(s, simple_lower);
}

bool is_unicode_space(char32_t c) {
  if (c < 0x80) return is_ascii_space(c);
  return c == 0x85 || c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 ||
         c == 0x202F || c == 0x205F || c == 0x3000;
}

void split_python(std::string_view s, std::string_view sep, int64_t maxsplit, std::vector<std::string_view>& out) {
  out.clear();
  if (maxsplit < 0) maxsplit = INT64_MAX;
  if (!sep.empty()) {
    size_t start = 0;
    for (int64_t n = 0; n < maxsplit; ++n) {
      const size_t hit = s.find(sep, start);
      if (hit == std::string_view::npos) break;
      out.push_back(s.substr(start, hit - start));
      start = hit + sep.size();
    }
    out.push_back(s.substr(start));
    return;
  }
  // Whitespace runs. Positions are byte offsets; code points are decoded only to classify them.
  auto skip_space = [&](size_t i) {
    while (i < s.size()) {
      size_t j = i;
      if (!is_unicode_space(utf8_next(s, j))) break;
      i = j;
    }
    return i;
  };
  size_t i = skip_space(0);
  int64_t n = 0;
  while (i < s.size()) {
    if (n == maxsplit) {  // the rest, leading whitespace already skipped, trailing kept
      out.push_back(s.substr(i));
      return;
    }
    size_t j = i;
    while (j < s.size()) {
      size_t k = j;
      if (is_unicode_space(utf8_next(s, k))) break;
      j = k;
    }
    out.push_back(s.substr(i, j - i));
    ++n;
    i = skip_space(j);
  }
}

}  // namespace ortl::kernels
