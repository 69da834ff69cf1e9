// Character classes and small text helpers shared by the secret detector's files. ASCII only:
// credential formats and key names are defined on ASCII, whatever the locale.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "compiler/support/ascii.h"

namespace platc::policy::secrets {

using ascii::is_alnum;
using ascii::is_digit;
using ascii::is_lower;
using ascii::is_space;
using ascii::is_upper;

constexpr bool is_alpha(char c) {
  return is_lower(c) || is_upper(c);
}
constexpr bool is_hex(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
// Both base64 alphabets (standard and URL-safe) and padding.
constexpr bool is_b64(char c) {
  return is_alnum(c) || c == '+' || c == '/' || c == '=' || c == '-' || c == '_';
}
constexpr bool is_b64url(char c) {
  return is_alnum(c) || c == '-' || c == '_';
}

// How many characters satisfying `pred` follow in a row from `i`.
template <typename Pred>
std::size_t run_of(std::string_view s, std::size_t i, Pred pred) {
  std::size_t n = 0;
  while (i + n < s.size() && pred(s[i + n])) ++n;
  return n;
}

// A token starts here: not glued to a letter or digit before it.
inline bool boundary_before(std::string_view s, std::size_t i) {
  return i == 0 || !is_alnum(s[i - 1]);
}
inline bool boundary_after(std::string_view s, std::size_t end) {
  return end >= s.size() || !is_alnum(s[end]);
}

inline bool one_of(std::string_view w, std::initializer_list<std::string_view> list) {
  for (auto x : list)
    if (x == w) return true;
  return false;
}

std::string lower(std::string_view s);
bool starts_with_nocase(std::string_view s, std::string_view prefix);
// Position of `needle` (lower case) in `s` ignoring case, from `from`; npos when absent.
std::size_t find_nocase(std::string_view s, std::string_view needle, std::size_t from = 0);
// "a password", "an API key", "an account key".
std::string with_article(std::string_view noun);

std::optional<std::string> decode_base64(std::string_view s);
// %2B → +: the value of a URL's query parameter as the server reads it.
std::string url_decode(std::string_view s);
// Text a person would read: printable ASCII and whitespace, or UTF-8.
bool readable(std::string_view s);
std::string_view trim(std::string_view s);

}  // namespace platc::policy::secrets
