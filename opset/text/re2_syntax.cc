// RE2 -> ECMAScript pattern translation (see re2_syntax.h).
#include "opset/text/re2_syntax.h"

#include <algorithm>

#include "graph/common.h"
#include "kernels/text/text.h"

namespace ortl::opset::text {
namespace {

static_assert(sizeof(wchar_t) == 4, "RegexFullMatch matches UTF-32 code points in std::wstring");

// RE2's own limits: nesting depth and repeat counts.
constexpr int kMaxDepth = 1000;
constexpr long kMaxRepeat = 1000;
constexpr size_t kMaxPatternBytes = 1 << 16;

const wchar_t* const kDigit = L"0-9";
const wchar_t* const kWord = L"0-9A-Za-z_";
const wchar_t* const kSpace = L"\t\n\f\r ";

bool is_ascii_alnum(char32_t c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_hex(char32_t c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
int hex_value(char32_t c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; }

class Translator {
 public:
  Translator(const std::string& src) : src_(src), p_(kernels::utf8_decode(src)) {}

  Re2Pattern run() {
    leading_flags();
    while (i_ < p_.size()) {
      const char32_t c = p_[i_++];
      switch (c) {
        case '\\': escape(false); break;
        case '[': char_class(); break;
        case '(': group(); break;
        case ')':
          --depth_;
          out_ += L')';
          break;
        case '.': out_ += dot_all_ ? L"[\\s\\S]" : L"[^\\n]"; break;
        case '{': brace(); break;
        case '}': out_ += L"\\}"; break;
        case ']': out_ += L"\\]"; break;
        default: out_ += static_cast<wchar_t>(c);  // ^ $ | * + ? and literals mean the same
      }
    }
    return {out_, icase_};
  }

 private:
  [[noreturn]] void bad(const char* what) const {
    fail(ErrorCode::kInvalidArgument, "RegexFullMatch: invalid RE2 pattern '", src_, "': ", what);
  }
  [[noreturn]] void unsupported(const char* what) const {
    fail(ErrorCode::kNotImplemented, "RegexFullMatch: pattern '", src_, "' uses ", what, ", which is not supported");
  }

  bool at(const char* s) const {
    size_t k = i_;
    for (; *s; ++s, ++k)
      if (k >= p_.size() || p_[k] != static_cast<char32_t>(*s)) return false;
    return true;
  }

  // Literal code point, escaped where ECMAScript gives it a meaning.
  void literal(char32_t c, bool in_class) {
    static const std::u32string kOutside = U"^$\\.*+?()[]{}|/";
    static const std::u32string kInside = U"\\]^-[";
    if ((in_class ? kInside : kOutside).find(c) != std::u32string::npos) out_ += L'\\';
    out_ += static_cast<wchar_t>(c);
  }

  // (?flags) at the very start: i and s apply to the whole pattern.
  void leading_flags() {
    while (at("(?")) {
      size_t k = i_ + 2;
      bool icase = icase_, dot_all = dot_all_, neg = false;
      for (; k < p_.size() && p_[k] != ')'; ++k) {
        const char32_t f = p_[k];
        if (f == '-' && !neg) {
          neg = true;
        } else if (f == 'i') {
          icase = !neg;
        } else if (f == 's') {
          dot_all = !neg;
        } else {
          return;  // not a plain flag group: group() handles or rejects it
        }
      }
      if (k >= p_.size()) return;
      icase_ = icase, dot_all_ = dot_all;
      i_ = k + 1;
    }
  }

  void group() {
    if (++depth_ > kMaxDepth) bad("groups nested too deeply");
    if (i_ >= p_.size() || p_[i_] != '?') {
      out_ += L'(';
      return;
    }
    if (at("?:")) {
      i_ += 2;
      out_ += L"(?:";
    } else if (at("?=") || at("?!") || at("?<=") || at("?<!")) {
      bad("lookaround assertions are not RE2 syntax");
    } else if (at("?P=")) {
      bad("backreferences are not RE2 syntax");
    } else if (at("?P<") || at("?<")) {
      i_ += at("?P<") ? 3 : 2;
      const size_t begin = i_;
      while (i_ < p_.size() && (is_ascii_alnum(p_[i_]) || p_[i_] == '_')) ++i_;
      if (i_ == begin || i_ >= p_.size() || p_[i_] != '>') bad("bad named capture group");
      ++i_;
      out_ += L'(';  // names only label groups; matching ignores them
    } else {
      unsupported("inline flags other than a leading (?i) / (?s)");
    }
  }

  // `{n}`, `{n,}`, `{n,m}` repeat; any other `{` is a literal in RE2.
  void brace() {
    size_t k = i_;
    auto number = [&](long& v) {
      const size_t b = k;
      v = 0;
      for (; k < p_.size() && p_[k] >= '0' && p_[k] <= '9'; ++k) v = std::min(v * 10 + (p_[k] - '0'), kMaxRepeat + 1);
      return k > b;
    };
    long lo = 0, hi = 0;
    bool ok = number(lo), has_hi = false;
    if (ok && k < p_.size() && p_[k] == ',') {
      ++k;
      has_hi = number(hi);
    }
    ok = ok && k < p_.size() && p_[k] == '}';
    if (!ok) {
      out_ += L"\\{";
      return;
    }
    if (lo > kMaxRepeat || (has_hi && (hi > kMaxRepeat || hi < lo))) bad("bad repetition count");
    out_.append(1, L'{');
    for (size_t j = i_; j <= k; ++j) out_ += static_cast<wchar_t>(p_[j]);
    i_ = k + 1;
  }

  void char_class() {
    out_ += L'[';
    if (i_ < p_.size() && p_[i_] == '^') {
      out_ += L'^';
      ++i_;
    }
    if (i_ < p_.size() && p_[i_] == ']') {  // a leading ] is a literal
      out_ += L"\\]";
      ++i_;
    }
    while (true) {
      if (i_ >= p_.size()) bad("missing ]");
      const char32_t c = p_[i_++];
      if (c == ']') break;
      if (c == '\\') {
        escape(true);
      } else if (c == '[' && i_ < p_.size() && p_[i_] == ':') {
        posix_class();
      } else if (c == '-') {
        out_ += L'-';
      } else {
        literal(c, true);
      }
    }
    out_ += L']';
  }

  void posix_class() {
    size_t end = i_ + 1;
    while (end + 1 < p_.size() && !(p_[end] == ':' && p_[end + 1] == ']')) ++end;
    if (end + 1 >= p_.size()) bad("bad [: class");
    std::wstring name(p_.begin() + static_cast<std::ptrdiff_t>(i_) + 1, p_.begin() + static_cast<std::ptrdiff_t>(end));
    i_ = end + 2;
    if (!name.empty() && name[0] == L'^') unsupported("negated POSIX classes");
    if (name == L"ascii") {
      out_ += L"\\x00-\\x7F";
    } else if (name == L"word") {
      out_ += kWord;
    } else {
      static const wchar_t* const kKnown[] = {L"alnum", L"alpha", L"blank", L"cntrl", L"digit", L"graph",
                                              L"lower", L"print", L"punct", L"space", L"upper", L"xdigit"};
      bool known = false;
      for (const wchar_t* k : kKnown) known = known || name == k;
      if (!known) bad("unknown POSIX class");
      out_ += L"[:" + name + L":]";
    }
  }

  void escape(bool in_class) {
    if (i_ >= p_.size()) bad("trailing \\");
    const char32_t c = p_[i_++];
    auto cls = [&](const wchar_t* set, bool negate) {
      if (in_class && negate) unsupported("negated classes (\\D \\W \\S) inside [...]");
      if (in_class) {
        out_ += set;
      } else {
        out_ += negate ? L"[^" : L"[";
        out_ += set;
        out_ += L']';
      }
    };
    switch (c) {
      case 'd': return cls(kDigit, false);
      case 'D': return cls(kDigit, true);
      case 'w': return cls(kWord, false);
      case 'W': return cls(kWord, true);
      case 's': return cls(kSpace, false);
      case 'S': return cls(kSpace, true);
      case 'b':
      case 'B':
        if (in_class) bad("\\b inside [...]");
        out_ += L'\\';
        out_ += static_cast<wchar_t>(c);
        return;
      case 'A':
      case 'z':
        if (in_class) bad("anchor inside [...]");
        out_ += c == 'A' ? L'^' : L'$';
        return;
      case 'Q': {  // literal text up to \E
        while (i_ < p_.size() && !at("\\E")) literal(p_[i_++], in_class);
        if (at("\\E")) i_ += 2;
        return;
      }
      case 'x': return literal(hex_escape(), in_class);
      case 'a': return literal(0x07, in_class);
      case 'f': return literal(0x0C, in_class);
      case 'n': return literal(0x0A, in_class);
      case 'r': return literal(0x0D, in_class);
      case 't': return literal(0x09, in_class);
      case 'v': return literal(0x0B, in_class);
      case 'p':
      case 'P': unsupported("Unicode classes (\\p, \\P)");
      case 'C': unsupported("\\C (any byte)");
      default: break;
    }
    if (c >= '0' && c <= '7') {
      // RE2: \0 and \1..\7 followed by another octal digit are octal codes; \1..\9 alone would
      // be backreferences.
      if (c != '0' && (i_ >= p_.size() || p_[i_] < '0' || p_[i_] > '7')) bad("backreferences are not RE2 syntax");
      char32_t v = c - '0';
      for (int k = 0; k < 2 && i_ < p_.size() && p_[i_] >= '0' && p_[i_] <= '7'; ++k) v = v * 8 + (p_[i_++] - '0');
      return literal(v, in_class);
    }
    if (c < 0x80 && !is_ascii_alnum(c)) return literal(c, in_class);  // escaped punctuation
    bad("invalid escape sequence");
  }

  char32_t hex_escape() {
    char32_t v = 0;
    if (i_ < p_.size() && p_[i_] == '{') {
      ++i_;
      int digits = 0;
      while (i_ < p_.size() && is_hex(p_[i_]) && digits < 8) v = v * 16 + hex_value(p_[i_++]), ++digits;
      if (digits == 0 || i_ >= p_.size() || p_[i_] != '}' || v > 0x10FFFF) bad("bad \\x{...} escape");
      ++i_;
      return v;
    }
    for (int k = 0; k < 2; ++k) {
      if (i_ >= p_.size() || !is_hex(p_[i_])) bad("bad \\x escape");
      v = v * 16 + hex_value(p_[i_++]);
    }
    return v;
  }

  const std::string& src_;
  std::u32string p_;
  size_t i_ = 0;
  int depth_ = 0;
  bool icase_ = false, dot_all_ = false;
  std::wstring out_;
};

}  // namespace

Re2Pattern translate_re2(const std::string& pattern) {
  if (pattern.size() > kMaxPatternBytes)
    fail(ErrorCode::kInvalidArgument, "RegexFullMatch: pattern of ", pattern.size(), " bytes is too long (limit ",
         kMaxPatternBytes, ")");
  return Translator(pattern).run();
}

std::wregex compile_re2(const std::string& pattern) {
  const Re2Pattern t = translate_re2(pattern);
  auto flags = std::regex_constants::ECMAScript | std::regex_constants::__polynomial;
  if (t.icase) flags |= std::regex_constants::icase;
  try {
    return std::wregex(t.ecma, flags);
  } catch (const std::regex_error& e) {
    fail(ErrorCode::kInvalidArgument, "RegexFullMatch: invalid RE2 pattern '", pattern, "': ", e.what());
  }
}

}  // namespace ortl::opset::text
