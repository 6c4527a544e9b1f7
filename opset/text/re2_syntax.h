// RE2 pattern syntax on top of std::wregex (ECMAScript grammar). The ONNX spec defines
// RegexFullMatch patterns as RE2; rather than depend on libre2, the pattern is rewritten into the
// ECMAScript form with RE2's meaning and matched over code points (wchar_t is UTF-32 here):
//   - \d \w \s and \b are ASCII-only, `.` matches anything but '\n' ((?s): anything), as in RE2;
//   - RE2-only syntax is translated: \A \z \Q..\E \x{...} octal escapes, (?P<name>..) (?<name>..),
//     [[:ascii:]] [[:word:]], literal `{` `}` `]`, leading (?i) / (?s) flags;
//   - what RE2 rejects (backreferences, lookaround) is rejected too (kInvalidArgument);
//   - RE2 features with no ECMAScript form (\p{..} Unicode classes, \C, (?m), (?U), flags after
//     the start) report kNotImplemented.
// Matching uses libstdc++'s breadth-first executor (regex_constants::__polynomial): no
// backtracking, so run time is polynomial and the stack does not grow with the input's length.
#pragma once

#include <regex>
#include <string>

namespace ortl::opset::text {

struct Re2Pattern {
  std::wstring ecma;  // the ECMAScript pattern
  bool icase = false;
};

// Throws kInvalidArgument for a pattern RE2 would reject, kNotImplemented as above.
Re2Pattern translate_re2(const std::string& pattern);

// translate_re2 + compile; errors name the pattern.
std::wregex compile_re2(const std::string& pattern);

}  // namespace ortl::opset::text
