// ASCII character classes, whatever the locale: the rules platc checks (Kubernetes names, cloud
// tags, image references, credential formats) are defined on ASCII, not on the user's language.
#pragma once

namespace platc::ascii {

constexpr bool is_lower(char c) {
  return c >= 'a' && c <= 'z';
}
constexpr bool is_upper(char c) {
  return c >= 'A' && c <= 'Z';
}
constexpr bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
constexpr bool is_alnum(char c) {
  return is_lower(c) || is_upper(c) || is_digit(c);
}
constexpr bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

}  // namespace platc::ascii
