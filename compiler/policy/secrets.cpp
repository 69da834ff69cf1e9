#include "compiler/policy/secrets.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <vector>

#include "compiler/support/ascii.h"

namespace platc::policy::secrets {
namespace {

using ascii::is_alnum;
using ascii::is_digit;
using ascii::is_lower;
using ascii::is_upper;

bool is_hex(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
bool is_b64(char c) {
  return is_alnum(c) || c == '+' || c == '/' || c == '=' || c == '-' || c == '_';
}
bool is_b64url(char c) {
  return is_alnum(c) || c == '-' || c == '_';
}

// DB_PASSWORD → [db, password]; apiKey → [api, key]; client-secret → [client, secret].
std::vector<std::string> words(std::string_view key) {
  std::vector<std::string> out;
  std::string cur;
  for (std::size_t i = 0; i < key.size(); ++i) {
    char c = key[i];
    if (!is_alnum(c)) {
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
      continue;
    }
    // camelCase boundary: a lower-case letter or digit followed by an upper-case one.
    if (is_upper(c) && !cur.empty() && (is_lower(key[i - 1]) || is_digit(key[i - 1]))) {
      out.push_back(cur);
      cur.clear();
    }
    cur += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

bool one_of(const std::string& w, std::initializer_list<std::string_view> list) {
  return std::find(list.begin(), list.end(), w) != list.end();
}

// Counts `n` characters satisfying `pred` starting at `i`; returns how many matched in a row.
template <typename Pred>
std::size_t run_of(std::string_view s, std::size_t i, Pred pred) {
  std::size_t n = 0;
  while (i + n < s.size() && pred(s[i + n])) ++n;
  return n;
}

bool boundary_before(std::string_view s, std::size_t i) {
  return i == 0 || !is_alnum(s[i - 1]);
}

std::optional<std::string> decode_base64(std::string_view s) {
  static const std::string_view kAlpha = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
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

// Text a person would read: printable ASCII and whitespace, or UTF-8.
bool readable(std::string_view s) {
  if (s.size() < 4) return false;
  std::size_t ok = 0;
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if ((c >= 0x20 && c < 0x7f) || c == '\n' || c == '\r' || c == '\t' || c >= 0x80) ++ok;
  }
  return ok * 100 >= s.size() * 97;
}

std::optional<std::string> find_format(std::string_view s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    std::string_view rest = s.substr(i);
    bool b = boundary_before(s, i);
    // AWS access key ids: AKIA (long-term), ASIA (temporary) and friends, then 16 of [A-Z0-9].
    if (b && (rest.starts_with("AKIA") || rest.starts_with("ASIA") || rest.starts_with("ABIA") ||
              rest.starts_with("ACCA"))) {
      std::size_t n = run_of(s, i + 4, [](char c) { return is_upper(c) || is_digit(c); });
      if (n == 16) return "an AWS access key id";
    }
    // GitHub tokens: ghp_ (classic), gho_, ghu_, ghs_, ghr_; fine-grained github_pat_.
    if (b && rest.size() > 4 && rest.starts_with("gh") &&
        std::string_view("pousr").find(rest[2]) != std::string_view::npos && rest[3] == '_') {
      if (run_of(s, i + 4, is_alnum) >= 36) return "a GitHub token";
    }
    if (b && rest.starts_with("github_pat_") && run_of(s, i + 11, [](char c) { return is_alnum(c) || c == '_'; }) >= 60)
      return "a GitHub token";
    // Slack tokens and incoming webhooks.
    if (b && rest.size() > 5 && rest.starts_with("xox") &&
        std::string_view("abeoprs").find(rest[3]) != std::string_view::npos && rest[4] == '-' &&
        run_of(s, i + 5, [](char c) { return is_alnum(c) || c == '-'; }) >= 10)
      return "a Slack token";
    if (rest.starts_with("hooks.slack.com/services/T")) return "a Slack webhook URL";
    // Stripe live secret and restricted keys.
    if (b && (rest.starts_with("sk_live_") || rest.starts_with("rk_live_")) && run_of(s, i + 8, is_alnum) >= 20)
      return "a Stripe secret key";
    // Google API keys.
    if (b && rest.starts_with("AIza") && run_of(s, i + 4, is_b64url) >= 35) return "a Google API key";
    // PEM private keys of any algorithm.
    if (rest.starts_with("-----BEGIN ")) {
      auto end = rest.find("-----", 11);
      if (end != std::string_view::npos && rest.substr(11, end - 11).find("PRIVATE KEY") != std::string_view::npos)
        return "a private key";
    }
    // JSON Web Tokens: header.payload.signature, both JSON parts starting `{"` (eyJ).
    if (b && rest.starts_with("eyJ")) {
      std::size_t h = run_of(s, i, is_b64url);
      if (h >= 10 && i + h < s.size() && s[i + h] == '.' && s.substr(i + h + 1).starts_with("eyJ")) {
        std::size_t p = run_of(s, i + h + 1, is_b64url);
        std::size_t at = i + h + 1 + p;
        if (p >= 10 && at < s.size() && s[at] == '.' && run_of(s, at + 1, is_b64url) >= 16) return "a JSON Web Token";
      }
    }
    // Connection strings with an inline password: scheme://user:password@host.
    if (rest.starts_with("://") && i > 0) {
      std::size_t start = i + 3;
      std::size_t stop = s.find_first_of("/?# \t\n", start);
      std::string_view authority =
          s.substr(start, stop == std::string_view::npos ? std::string_view::npos : stop - start);
      auto at = authority.rfind('@');
      if (at != std::string_view::npos) {
        std::string_view userinfo = authority.substr(0, at);
        auto colon = userinfo.find(':');
        if (colon != std::string_view::npos) {
          std::string_view password = userinfo.substr(colon + 1);
          if (!password.empty() && !password.starts_with("${")) return "a connection string with an inline password";
        }
      }
    }
  }
  return std::nullopt;
}

}  // namespace

bool secret_keyword(std::string_view key) {
  auto w = words(key);
  if (w.empty()) return false;
  // A last word that makes the value a setting about the secret, not the secret.
  if (one_of(w.back(), {"ttl",      "timeout", "expiry", "expires",  "expiration", "lifetime", "age",      "length",
                        "len",      "size",    "url",    "uri",      "endpoint",   "host",     "port",     "path",
                        "file",     "dir",     "name",   "id",       "header",     "issuer",   "audience", "algorithm",
                        "alg",      "type",    "kind",   "mode",     "enabled",    "disabled", "required", "policy",
                        "rotation", "version", "format", "prefix",   "field",      "store",    "ref",      "arn",
                        "location", "count",   "limit",  "interval", "period",     "duration", "seconds",  "minutes",
                        "hours",    "days",    "env",    "var",      "scope",      "scopes"}))
    return false;
  bool found = false;
  for (std::size_t k = 0; k < w.size(); ++k) {
    const std::string& x = w[k];
    if (one_of(x, {"password", "passwd", "pwd", "passphrase", "secret", "token", "apikey", "accesskey", "secretkey",
                   "privatekey", "authtoken", "credential", "credentials", "pat"}))
      found = true;
    if (x == "key" && k > 0 &&
        one_of(w[k - 1], {"api", "access", "secret", "private", "signing", "encryption", "master", "license"}))
      found = true;
  }
  return found;
}

bool plausible_secret_value(std::string_view v) {
  if (v.empty()) return false;
  if (v == "true" || v == "false") return false;
  // Numbers and quantities: "3600", "30s", "15m", "1.5".
  std::size_t digits = run_of(v, 0, [](char c) { return is_digit(c) || c == '.'; });
  if (digits > 0 && v.size() - digits <= 2 && std::all_of(v.begin() + static_cast<long>(digits), v.end(), is_lower))
    return false;
  // Paths to a file that holds the secret.
  if (v.front() == '/' && v.find(' ') == std::string_view::npos) return false;
  // URLs without credentials.
  auto scheme = v.find("://");
  if (scheme != std::string_view::npos && scheme > 0 && !find_format(v)) return false;
  return true;
}

std::optional<std::string> known_credential(std::string_view text) {
  if (auto f = find_format(text)) return f;
  // Base64 config (a CA bundle, a kubeconfig): search what it decodes to.
  if (text.size() >= 16 && std::all_of(text.begin(), text.end(), is_b64)) {
    if (auto decoded = decode_base64(text); decoded && readable(*decoded))
      if (auto f = find_format(*decoded)) return *f + " (base64-encoded)";
  }
  return std::nullopt;
}

double shannon_entropy(std::string_view text) {
  if (text.empty()) return 0;
  std::array<std::size_t, 256> counts{};
  for (char c : text) ++counts[static_cast<unsigned char>(c)];
  double h = 0, n = static_cast<double>(text.size());
  for (std::size_t c : counts)
    if (c) {
      double p = static_cast<double>(c) / n;
      h -= p * std::log2(p);
    }
  return h;
}

bool high_entropy(std::string_view s) {
  if (s.size() < 20 || s.size() > 4096) return false;
  if (!std::all_of(s.begin(), s.end(), is_b64)) return false;
  // Hexadecimal: digests, commit ids and checksums are public by design.
  if (std::all_of(s.begin(), s.end(), is_hex)) return false;
  bool upper = std::any_of(s.begin(), s.end(), is_upper), lower = std::any_of(s.begin(), s.end(), is_lower),
       digit = std::any_of(s.begin(), s.end(), is_digit);
  if (!(upper && lower && digit)) return false;
  // Base64 of readable text is encoded configuration, not key material.
  if (auto decoded = decode_base64(s); decoded && readable(*decoded)) return false;
  double limit = std::min(4.5, std::log2(static_cast<double>(s.size())) - 0.7);
  return shannon_entropy(s) >= limit;
}

}  // namespace platc::policy::secrets
