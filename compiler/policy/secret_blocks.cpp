// Credentials that are structures rather than tokens: private keys in their encodings, JSON Web
// Tokens, URLs with a password, webhook URLs (whose path is the credential).
#include <algorithm>

#include "compiler/policy/secret_formats.h"
#include "compiler/policy/secret_text.h"

namespace platc::policy::secrets {
namespace {

// The start of the URL around a host fragment: back to its scheme, when there is one.
std::size_t url_start(std::string_view s, std::size_t i) {
  while (i > 0 && !is_space(s[i - 1]) && s[i - 1] != '"' && s[i - 1] != '\'') --i;
  return i;
}

std::size_t url_end(std::string_view s, std::size_t i) {
  while (i < s.size() && !is_space(s[i]) && s[i] != '"' && s[i] != '\'') ++i;
  return i;
}

// -----BEGIN RSA PRIVATE KEY----- … -----END RSA PRIVATE KEY-----, any algorithm, PGP too.
void pem(std::string_view s, std::size_t i, std::vector<FormatMatch>& out) {
  std::string_view rest = s.substr(i);
  if (!rest.starts_with("-----BEGIN ")) return;
  auto close = rest.find("-----", 11);
  if (close == std::string_view::npos) return;
  std::string_view label = rest.substr(11, close - 11);
  if (label.find("PRIVATE KEY") == std::string_view::npos) return;
  std::size_t body_at = close + 5;
  // A key is a few kilobytes: look for its end nearby, not through a whole long text.
  auto end = rest.substr(0, std::min(rest.size(), body_at + 65536)).find("-----END ", body_at);
  std::size_t stop = end == std::string_view::npos ? rest.size() : rest.find("-----", end + 9);
  stop = stop == std::string_view::npos ? rest.size() : stop + 5;
  // The body without line breaks, also those written as `\n` inside JSON (a service account key).
  std::string body;
  std::string_view raw = rest.substr(body_at, (end == std::string_view::npos ? rest.size() : end) - body_at);
  for (std::size_t k = 0; k < raw.size(); ++k) {
    if (raw[k] == '\\' && k + 1 < raw.size() && raw[k + 1] == 'n') {
      ++k;
      continue;
    }
    if (!is_space(raw[k])) body += raw[k];
  }
  bool ph = body.size() < 4 || placeholder_body(body) ||
            !std::all_of(body.begin(), body.end(), [](char c) { return is_b64(c) || c == ':' || c == ','; });
  // An encrypted key's headers (Proc-Type: 4,ENCRYPTED) contain colons; bodies are base64.
  if (ph && body.find("Proc-Type") != std::string::npos) ph = false;
  add_match(out, "a private key", i, stop, ph, true);
}

// Base64 DER private keys: PKCS#1 RSA, PKCS#8 (RSA, EC, Ed25519), SEC1 EC. Certificates, public by
// design, start with the same MII but continue differently.
void der_private_key(std::string_view s, std::size_t i, std::vector<FormatMatch>& out) {
  if (i > 0 && is_b64(s[i - 1])) return;
  std::string_view rest = s.substr(i);
  static constexpr std::string_view kStarts[] = {"MHcCAQEEI", "MC4CAQAwBQYDK2Vw", "MIGHAgEAMBMGByqGSM49"};
  static constexpr std::string_view kInside[] = {"BAAKCAQEA", "BAAKCAgEA", "ADANBgkqhkiG9w0BAQEFAASC"};
  bool key = false;
  for (auto p : kStarts) key |= rest.starts_with(p);
  if (rest.starts_with("MII"))
    for (auto p : kInside) key |= rest.substr(0, 40).find(p) != std::string_view::npos;
  if (!key) return;
  std::size_t n = run_of(s, i, [](char c) { return is_b64(c) || c == '\n' || c == '\r'; });
  if (n >= 40) add_match(out, "a private key (base64 DER)", i, n, false, true);
}

// Base64 of a PEM private key inside a longer text (a kubeconfig's client-key-data, a Secret's
// data): LS0tLS1CRUdJTi is "-----BEGIN".
void pem_in_base64(std::string_view s, std::size_t i, std::vector<FormatMatch>& out) {
  if (!s.substr(i).starts_with("LS0tLS1CRUdJTi") || (i > 0 && is_b64(s[i - 1]))) return;
  std::size_t n = run_of(s, i, is_b64);
  auto decoded = decode_base64(s.substr(i, n));
  if (!decoded) return;
  std::vector<FormatMatch> inner;
  pem(*decoded, 0, inner);
  if (!inner.empty()) add_match(out, "a private key (base64-encoded)", i, n, inner.front().placeholder, true);
}

}  // namespace

void private_key(std::string_view s, std::size_t i, std::vector<FormatMatch>& out) {
  std::size_t before = out.size();
  pem(s, i, out);
  if (out.size() == before && s.substr(i).starts_with("PuTTY-User-Key-File-") && boundary_before(s, i)) {
    auto priv = s.find("Private-Lines:", i);
    add_match(out, "a private key", i, (priv == std::string_view::npos ? s.size() : priv) - i,
              priv == std::string_view::npos, true);
  }
  if (out.size() == before) der_private_key(s, i, out);
  if (out.size() == before) pem_in_base64(s, i, out);
}

// header.payload.signature, both JSON parts starting `{"` (eyJ).
void jwt(std::string_view s, std::size_t i, std::vector<FormatMatch>& out) {
  if (!s.substr(i).starts_with("eyJ") || !boundary_before(s, i)) return;
  std::size_t h = run_of(s, i, is_b64url);
  if (h < 10 || i + h >= s.size() || s[i + h] != '.' || !s.substr(i + h + 1).starts_with("eyJ")) return;
  std::size_t p = run_of(s, i + h + 1, is_b64url);
  std::size_t at = i + h + 1 + p;
  if (p < 10 || at >= s.size() || s[at] != '.') return;
  std::size_t sig = run_of(s, at + 1, is_b64url);
  if (sig < 16) return;
  add_match(out, "a JSON Web Token", i, at + 1 + sig - i, false, true);
}

// scheme://user:password@host: the password, unless it is a stand-in or a reference.
void url_password(std::string_view s, std::size_t i, std::vector<FormatMatch>& out) {
  if (!s.substr(i).starts_with("://") || i == 0 || !is_alpha(s[i - 1])) return;
  std::size_t start = i + 3;
  std::size_t stop = s.find_first_of("/?# \t\n\"'", start);
  std::string_view authority = s.substr(start, stop == std::string_view::npos ? std::string_view::npos : stop - start);
  auto at = authority.rfind('@');
  if (at == std::string_view::npos || at + 1 == authority.size()) return;
  std::string_view info = authority.substr(0, at);
  auto colon = info.find(':');
  if (colon == std::string_view::npos) return;
  std::string_view password = info.substr(colon + 1);
  if (password.empty()) return;
  std::string decoded = url_decode(password);
  add_match(out, "a password in a connection URL", start + colon + 1, password.size(), placeholder(decoded), false);
}

// user:password@host without a scheme: Go's MySQL DSN (app:pw@tcp(db:3306)/shop), git and pip
// credentials written bare.
void bare_url_password(std::string_view s, std::size_t i, std::vector<FormatMatch>& out) {
  if (i > 0 && !is_space(s[i - 1]) && std::string_view("\"'=,;(").find(s[i - 1]) == std::string_view::npos) return;
  std::size_t u = run_of(s, i, [](char c) { return is_alnum(c) || c == '.' || c == '_' || c == '-'; });
  if (u == 0 || i + u >= s.size() || s[i + u] != ':') return;
  if (one_of(lower(s.substr(i, u)), {"mailto", "sip", "sips", "tel", "xmpp", "urn", "data", "http", "https"})) return;
  std::size_t p = i + u + 1;
  std::size_t n = run_of(s.substr(0, std::min(s.size(), p + 256)), p,
                         [](char c) { return !is_space(c) && c != '@' && c != '/' && c != '"' && c != '\''; });
  if (n == 0 || p + n + 1 >= s.size() || s[p + n] != '@') return;
  char h = s[p + n + 1];
  if (!is_alnum(h) && h != '[') return;
  std::string_view password = s.substr(p, n);
  add_match(out, "a password in a connection URL", p, n, placeholder(password) || password.size() < 3, false);
}

void webhook(std::string_view s, std::size_t i, std::vector<FormatMatch>& out) {
  std::string_view rest = s.substr(i);
  auto tail = [&](std::size_t from) { return s.substr(i + from, url_end(s, i + from) - (i + from)); };
  if (rest.starts_with("hooks.slack.com/services/T") || rest.starts_with("hooks.slack.com/workflows/")) {
    std::string_view path = tail(std::string_view("hooks.slack.com/").size());
    if (path.size() >= 20) {
      std::size_t start = url_start(s, i);
      add_match(out, "a Slack webhook URL", start, url_end(s, i) - start, placeholder_body(path), true);
    }
  }
  for (std::string_view host : {"discord.com/api/webhooks/", "discordapp.com/api/webhooks/"})
    if (rest.starts_with(host) && boundary_before(s, i)) {
      std::string_view path = tail(host.size());
      if (path.size() >= 60) {
        std::size_t start = url_start(s, i);
        add_match(out, "a Discord webhook URL", start, url_end(s, i) - start, placeholder_body(path), true);
      }
    }
  if (rest.starts_with(".webhook.office.com/webhookb2/")) {
    std::size_t start = url_start(s, i);
    std::string_view path = tail(std::string_view(".webhook.office.com/webhookb2/").size());
    if (path.size() >= 40)
      add_match(out, "a Microsoft Teams webhook URL", start, url_end(s, i) - start, placeholder_body(path), true);
  }
}

}  // namespace platc::policy::secrets
