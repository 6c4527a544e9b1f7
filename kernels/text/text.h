// String primitives for the text ops: UTF-8 decoding, Unicode simple case mapping, and Python's
// str.split() semantics (which the ONNX reference implementation of StringSplit follows).
//
// Case mapping is locale-independent: the simple (one code point to one code point) mappings
// of UnicodeData.txt for the scripts most text uses (ASCII, Latin-1, Latin Extended-A/B and
// Additional, Greek, Cyrillic, Armenian, Georgian, full-width Latin). Other code points map to
// themselves, so ß stays ß (its full uppercase "SS" changes the length).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ortl::kernels {

// Decodes one code point at s[i] and advances i. Malformed or truncated sequences decode to
// U+DC80 + byte (one byte consumed), as Python's surrogateescape does, so every input round-trips.
char32_t utf8_next(std::string_view s, size_t& i);
// Appends the UTF-8 encoding of c (surrogate-escaped bytes are written back as the raw byte).
void utf8_append(char32_t c, std::string& out);
std::u32string utf8_decode(std::string_view s);

char32_t simple_upper(char32_t c);
char32_t simple_lower(char32_t c);
// Whole-string case change; ASCII-only strings take a byte loop.
std::string to_upper(std::string_view s);
std::string to_lower(std::string_view s);

// The code points Python's str.isspace() accepts (what str.split() with no separator splits on).
bool is_unicode_space(char32_t c);

// Python's s.split(sep, maxsplit) into views of s. An empty `sep` means "runs of whitespace,
// ignoring leading and trailing whitespace" (str.split() with no argument). maxsplit < 0: no
// limit. Note "".split(",") is [""] but "".split() is [].
void split_python(std::string_view s, std::string_view sep, int64_t maxsplit, std::vector<std::string_view>& out);

}  // namespace ortl::kernels
