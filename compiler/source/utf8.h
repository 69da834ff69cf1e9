// UTF-8 checks and code-point counting for source text. Pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace platc::utf8 {

// Length in bytes of the valid UTF-8 sequence starting at s[i], or 0 when it is invalid
// (bad lead byte, truncated, overlong, surrogate, beyond U+10FFFF).
std::size_t sequence_length(std::string_view s, std::size_t i);

// Decodes the valid sequence at s[i] (check sequence_length first).
char32_t decode(std::string_view s, std::size_t i);

// Number of code points in valid UTF-8.
std::size_t count_code_points(std::string_view s);

// Appends the UTF-8 encoding of a scalar value.
void append(std::string& out, char32_t cp);

// Terminal cells a code point takes: 0 for combining marks, 2 for East Asian wide and emoji.
int display_width(char32_t cp);

}  // namespace platc::utf8
