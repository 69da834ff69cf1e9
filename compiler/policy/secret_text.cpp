#include "compiler/policy/secret_text.h"

#include <cstdint>

namespace platc::policy::secrets {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (is_upper(c)) c = static_cast<char>(c - 'A' + 'a');
  return out;
}

bool starts_with_nocase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && lower(s.substr(0, prefix.size())) == lower(prefix);
}

std::size_t find_nocase(std::string_view s, std::string_view needle, std::size_t from) {
  if (needle.empty() || s.size() < needle.size()) return std::string_view::npos;
  for (std::size_t i = from; i + needle.size() <= s.size(); ++i) {
    std::size_t k = 0;
    while (k < needle.size()) {
      char c = s[i + k];
      if (is_upper(c)) c = static_cast<char>(c - 'A' + 'a');
      if (c != needle[k]) break;
      ++k;
    }
    if (k == needle.size()) return i;
  }
  return std::string_view::npos;
}

std::string with_article(std::string_view noun) {
  if (noun.empty()) return "";
  // Plurals and mass nouns take none; acronyms read letter by letter (an API key, an SSH key).
  if (noun == "credentials") return std::string(noun);
  char c = noun.front();
  bool vowel = std::string_view("aeiouAEIO").find(c) != std::string_view::npos ||
               (noun.size() > 1 && is_upper(noun[0]) && is_upper(noun[1]) &&
                std::string_view("AEFHILMNORSX").find(c) != std::string_view::npos);
  return (vowel ? "an " : "a ") + std::string(noun);
}

std::optional<std::string> decode_base64(std::string_view s) {
  static constexpr std::string_view kAlpha = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::uint32_t buf = 0;
  int bits = 0;
  for (char c : s) {
    if (c == '=') break;
    if (c == '-') c = '+';
    if (c == '_') c = '/';
    auto pos = kAlpha.find(c);
    if (pos == std::string_view::npos) return std::nullopt;
    buf = (buf << 6) | static_cast<std::uint32_t>(pos);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buf >> bits) & 0xff);
    }
  }
  return out;
}

std::string url_decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && is_hex(s[i + 1]) && is_hex(s[i + 2])) {
      out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

bool readable(std::string_view s) {
  if (s.size() < 4) return false;
  std::size_t ok = 0;
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if ((c >= 0x20 && c < 0x7f) || c == '\n' || c == '\r' || c == '\t' || c >= 0x80) ++ok;
  }
  return ok * 100 >= s.size() * 97;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

}  // namespace platc::policy::secrets
