// Known credential formats: the shape alone says what the string is, whatever its name. Most
// providers prefix their tokens (AKIA, ghp_, xoxb-, sk_live_) precisely so that scanners can
// find them; the rest are structures (PEM blocks, JWTs, URLs with a password, webhook URLs).
// A match whose variable part is a stand-in (AKIA…EXAMPLE, ghp_xxxx…) is marked as a
// placeholder rather than dropped, so that callers can tell "documented example" from "nothing".
#include <algorithm>

#include "compiler/policy/secret_text.h"
#include "compiler/policy/secrets.h"

namespace platc::policy::secrets {
namespace {

using CharClass = bool (*)(char);

bool upper_digit(char c) {
  return is_upper(c) || is_digit(c);
}
bool alnum_underscore(char c) {
  return is_alnum(c) || c == '_';
}
bool alnum_dash(char c) {
  return is_alnum(c) || c == '-';
}
bool lower_digit(char c) {
  return is_lower(c) || is_digit(c);
}
bool b64_std(char c) {
  return is_alnum(c) || c == '+' || c == '/';
}
bool lower_hex(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f');
}

// A provider's token: a fixed prefix, then `min`..`max` characters of one class (max 0: any).
struct Prefixed {
  std::string_view prefix;
  CharClass body;
  std::size_t min, max;
  std::string_view what;
};

// Longer prefixes before their own prefixes (sk-ant- before sk-): the first match wins.
constexpr Prefixed kPrefixed[] = {
    {"AKIA", upper_digit, 16, 16, "an AWS access key id"},
    {"ASIA", upper_digit, 16, 16, "an AWS access key id"},
    {"ABIA", upper_digit, 16, 16, "an AWS access key id"},
    {"ACCA", upper_digit, 16, 16, "an AWS access key id"},
    {"ghp_", is_alnum, 36, 255, "a GitHub token"},
    {"gho_", is_alnum, 36, 255, "a GitHub token"},
    {"ghu_", is_alnum, 36, 255, "a GitHub token"},
    {"ghs_", is_alnum, 36, 255, "a GitHub token"},
    {"ghr_", is_alnum, 36, 255, "a GitHub token"},
    {"github_pat_", alnum_underscore, 60, 255, "a GitHub token"},
    {"glpat-", is_b64url, 20, 255, "a GitLab token"},
    {"glptt-", is_b64url, 20, 255, "a GitLab token"},
    {"gldt-", is_b64url, 20, 255, "a GitLab token"},
    {"xapp-", alnum_dash, 20, 0, "a Slack token"},
    {"sk_live_", is_alnum, 20, 0, "a Stripe secret key"},
    {"rk_live_", is_alnum, 20, 0, "a Stripe secret key"},
    {"sk_test_", is_alnum, 20, 0, "a Stripe secret key (test mode)"},
    {"rk_test_", is_alnum, 20, 0, "a Stripe secret key (test mode)"},
    {"whsec_", is_alnum, 24, 0, "a Stripe webhook signing secret"},
    {"AIza", is_b64url, 35, 35, "a Google API key"},
    {"GOCSPX-", is_b64url, 24, 0, "a Google OAuth client secret"},
    {"ya29.", is_b64url, 30, 0, "a Google OAuth access token"},
    {"npm_", is_alnum, 36, 36, "an npm token"},
    {"pypi-AgEIcHlwaS5vcmc", is_b64url, 30, 0, "a PyPI token"},
    {"sk-ant-", is_b64url, 40, 0, "an Anthropic API key"},
    {"sk-proj-", is_b64url, 40, 0, "an OpenAI API key"},
    {"sk-svcacct-", is_b64url, 40, 0, "an OpenAI API key"},
    {"sk-admin-", is_b64url, 40, 0, "an OpenAI API key"},
    {"sk-", is_alnum, 32, 64, "an OpenAI API key"},
    {"shpat_", is_hex, 32, 32, "a Shopify access token"},
    {"shpss_", is_hex, 32, 32, "a Shopify access token"},
    {"shpca_", is_hex, 32, 32, "a Shopify access token"},
    {"shppa_", is_hex, 32, 32, "a Shopify access token"},
    {"dop_v1_", lower_hex, 64, 64, "a DigitalOcean token"},
    {"doo_v1_", lower_hex, 64, 64, "a DigitalOcean token"},
    {"dor_v1_", lower_hex, 64, 64, "a DigitalOcean token"},
    {"hvs.", is_b64url, 24, 0, "a HashiCorp Vault token"},
    {"hvb.", is_b64url, 24, 0, "a HashiCorp Vault token"},
    {"glsa_", alnum_underscore, 32, 0, "a Grafana service account token"},
    {"glc_", is_b64, 32, 0, "a Grafana Cloud token"},
    {"PMAK-", alnum_dash, 59, 0, "a Postman API key"},
    {"AGE-SECRET-KEY-1", upper_digit, 58, 58, "an age secret key"},
    {"lin_api_", is_alnum, 40, 40, "a Linear API key"},
    {"dp.pt.", is_alnum, 40, 0, "a Doppler token"},
    {"dp.st.", is_alnum, 40, 0, "a Doppler token"},
    {"dp.sa.", is_alnum, 40, 0, "a Doppler token"},
    {"dckr_pat_", is_b64url, 27, 0, "a Docker Hub access token"},
    {"rubygems_", lower_hex, 48, 48, "a RubyGems API key"},
    {"sq0atp-", is_b64url, 22, 0, "a Square access token"},
    {"sq0csp-", is_b64url, 40, 0, "a Square OAuth secret"},
    {"dapi", lower_hex, 32, 32, "a Databricks token"},
    {"hf_", is_alpha, 34, 34, "a Hugging Face token"},
    {"xkeysib-", alnum_dash, 80, 0, "a Brevo API key"},
    {"key-", lower_digit, 32, 32, "a Mailgun API key"},
    {"SK", is_hex, 32, 32, "a Twilio API key"},
    {"EAA", is_alnum, 90, 0, "a Facebook access token"},
    {"ATATT3", alnum_underscore, 150, 0, "an Atlassian API token"},
};

// A stand-in where the random part should be: EXAMPLE, a run of one character, a mask.
bool placeholder_body(std::string_view body) {
  if (find_nocase(body, "example") != std::string_view::npos) return true;
  std::size_t run = 1;
  for (std::size_t i = 1; i < body.size(); ++i) {
    run = body[i] == body[i - 1] ? run + 1 : 1;
    if (run >= 5) return true;
  }
  return placeholder(body);
}

void add(std::vector<FormatMatch>& out, std::string_view what, std::size_t at, std::size_t len, bool ph,
         bool provider) {
  out.push_back({std::string(what), at, len, ph, provider});
}

// The start of the URL around a host fragment: back to its scheme, when there is one.
std::size_t url_start(std::string_view s, std::size_t i) {
  while (i > 0 && !is_space(s[i - 1]) && s[i - 1] != '"' && s[i - 1] != '\'') --i;
  return i;
}

std::size_t url_end(std::string_view s, std::size_t i) {
  while (i < s.size() && !is_space(s[i]) && s[i] != '"' && s[i] != '\'') ++i;
  return i;
}

void webhook(std::string_view s, std::size_t i, std::vector<FormatMatch>& out) {
  std::string_view rest = s.substr(i);
  auto tail = [&](std::size_t from) { return s.substr(i + from, url_end(s, i + from) - (i + from)); };
  if (rest.starts_with("hooks.slack.com/services/T") || rest.starts_with("hooks.slack.com/workflows/")) {
    std::string_view path = tail(std::string_view("hooks.slack.com/").size());
    if (path.size() >= 20) {
      std::size_t start = url_start(s, i);
      add(out, "a Slack webhook URL", start, url_end(s, i) - start, placeholder_body(path), true);
    }
  }
  for (std::string_view host : {"discord.com/api/webhooks/", "discordapp.com/api/webhooks/"})
    if (rest.starts_with(host) && boundary_before(s, i)) {
      std::string_view path = tail(host.size());
      if (path.size() >= 60) {
        std::size_t start = url_start(s, i);
        add(out, "a Discord webhook URL", start, url_end(s, i) - start, placeholder_body(path), true);
      }
    }
  if (rest.starts_with(".webhook.office.com/webhookb2/")) {
    std::size_t start = url_start(s, i);
    std::string_view path = tail(std::string_view(".webhook.office.com/webhookb2/").size());
    if (path.size() >= 40)
      add(out, "a Microsoft Teams webhook URL", start, url_end(s, i) - start, placeholder_body(path), true);
  }
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
  auto end = rest.find("-----END ", body_at);
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
  add(out, "a private key", i, stop, ph, true);
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
  add(out, "a JSON Web Token", i, at + 1 + sig - i, false, true);
}

// scheme://user:password@host: the password, unless it is a stand-in or a reference.
void userinfo(std::string_view s, std::size_t i, std::vector<FormatMatch>& out) {
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
  add(out, "a password in a connection URL", start + colon + 1, password.size(), placeholder(decoded), false);
}

// user:password@host without a scheme: Go's MySQL DSN (app:pw@tcp(db:3306)/shop), git and pip
// credentials written bare.
void bare_userinfo(std::string_view s, std::size_t i, std::vector<FormatMatch>& out) {
  if (i > 0 && !is_space(s[i - 1]) && std::string_view("\"'=,;(").find(s[i - 1]) == std::string_view::npos) return;
  std::size_t u = run_of(s, i, [](char c) { return is_alnum(c) || c == '.' || c == '_' || c == '-'; });
  if (u == 0 || i + u >= s.size() || s[i + u] != ':') return;
  if (one_of(lower(s.substr(i, u)), {"mailto", "sip", "sips", "tel", "xmpp", "urn", "data", "http", "https"})) return;
  std::size_t p = i + u + 1;
  std::size_t n = run_of(s, p, [](char c) { return !is_space(c) && c != '@' && c != '/' && c != '"' && c != '\''; });
  if (n == 0 || p + n + 1 >= s.size() || s[p + n] != '@') return;
  char h = s[p + n + 1];
  if (!is_alnum(h) && h != '[') return;
  std::string_view password = s.substr(p, n);
  add(out, "a password in a connection URL", p, n, placeholder(password) || password.size() < 3, false);
}

// 64 random bytes in base64: an Azure storage account (or Cosmos DB, Service Bus) key.
void azure_key(std::string_view s, std::size_t i, std::vector<FormatMatch>& out) {
  if (i > 0 && b64_std(s[i - 1])) return;
  std::size_t n = run_of(s, i, b64_std);
  if (n != 86 || s.substr(i + n, 2) != "==" || (i + n + 2 < s.size() && is_b64(s[i + n + 2]))) return;
  if (!high_entropy(s.substr(i, 88))) return;
  add(out, "an Azure storage account key", i, 88, false, true);
}

// Azure AD application secrets: three characters, a digit, `Q~`, then 31 to 34 more.
void azure_client_secret(std::string_view s, std::size_t i, std::vector<FormatMatch>& out) {
  if (i < 4 || s.substr(i, 2) != "Q~" || !is_digit(s[i - 1])) return;
  auto cls = [](char c) { return is_alnum(c) || c == '_' || c == '~' || c == '.' || c == '-'; };
  std::size_t start = i - 4;
  if (!cls(s[start]) || !cls(s[start + 1]) || !cls(s[start + 2]) || (start > 0 && cls(s[start - 1]))) return;
  std::size_t n = run_of(s, i + 2, cls);
  if (n < 31 || n > 34) return;
  add(out, "an Azure AD client secret", start, 6 + n, placeholder_body(s.substr(i + 2, n)), true);
}

// Slack: xoxb- (bot), xoxp- (user), xoxa-, xoxe-, xoxo-, xoxr-, xoxs-.
void slack(std::string_view s, std::size_t i, std::vector<FormatMatch>& out) {
  std::string_view rest = s.substr(i);
  if (!boundary_before(s, i) || rest.size() <= 5 || !rest.starts_with("xox") ||
      std::string_view("abeoprs").find(rest[3]) == std::string_view::npos || rest[4] != '-')
    return;
  std::size_t n = run_of(s, i + 5, alnum_dash);
  if (n >= 10) add(out, "a Slack token", i, 5 + n, placeholder_body(s.substr(i + 5, n)), true);
}

// SendGrid: SG. 22 characters . 43 characters.
void sendgrid(std::string_view s, std::size_t i, std::vector<FormatMatch>& out) {
  if (!boundary_before(s, i) || !s.substr(i).starts_with("SG.")) return;
  std::size_t a = run_of(s, i + 3, is_b64url);
  if (a != 22 || i + 3 + a >= s.size() || s[i + 3 + a] != '.') return;
  std::size_t b = run_of(s, i + 4 + a, is_b64url);
  if (b != 43) return;
  add(out, "a SendGrid API key", i, 4 + a + b, placeholder_body(s.substr(i + 3, 23 + b)), true);
}

// An AWS secret access key: 40 characters of base64, next to its key id or named as one.
void aws_secret(std::string_view s, std::size_t i, std::vector<FormatMatch>& out) {
  if (i > 0 && b64_std(s[i - 1])) return;
  std::size_t n = run_of(s, i, b64_std);
  if (n != 40 || (i + n < s.size() && is_b64(s[i + n]))) return;
  std::string_view v = s.substr(i, 40);
  if (!std::any_of(v.begin(), v.end(), is_lower) || !std::any_of(v.begin(), v.end(), is_upper)) return;
  if (find_nocase(s, "aws") == std::string_view::npos && s.find("AKIA") == std::string_view::npos &&
      s.find("ASIA") == std::string_view::npos)
    return;
  if (shannon_entropy(v) < 4.2) return;
  add(out, "an AWS secret access key", i, 40, placeholder_body(v), true);
}

}  // namespace

std::vector<FormatMatch> find_formats(std::string_view s) {
  std::vector<FormatMatch> out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    std::size_t before = out.size();
    std::string_view rest = s.substr(i);
    if (boundary_before(s, i)) {
      for (const auto& p : kPrefixed) {
        if (!rest.starts_with(p.prefix)) continue;
        std::size_t n = run_of(s, i + p.prefix.size(), p.body);
        if (n < p.min || (p.max && n > p.max)) continue;
        // A token ends where its alphabet does: AKIA…16 followed by more letters is something else.
        if (p.max && !boundary_after(s, i + p.prefix.size() + n)) continue;
        add(out, p.what, i, p.prefix.size() + n, placeholder_body(s.substr(i + p.prefix.size(), n)), true);
        break;
      }
    }
    if (out.size() == before) {
      slack(s, i, out);
      sendgrid(s, i, out);
      webhook(s, i, out);
      pem(s, i, out);
      jwt(s, i, out);
      userinfo(s, i, out);
      bare_userinfo(s, i, out);
      azure_key(s, i, out);
      azure_client_secret(s, i, out);
      aws_secret(s, i, out);
    }
    // Continue after a token that starts here: its body holds no second credential. (A URL's
    // password starts later, and may itself be a provider's token.)
    if (out.size() > before && out.back().offset == i) {
      const auto& m = out.back();
      if (m.length > 1) i = m.offset + m.length - 1;
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const FormatMatch& a, const FormatMatch& b) {
    return a.offset != b.offset ? a.offset < b.offset : a.provider > b.provider;
  });
  return out;
}

std::optional<std::string> known_credential(std::string_view text) {
  for (const auto& m : find_formats(text))
    if (!m.placeholder) return m.what;
  // Base64 config (a CA bundle, a kubeconfig): search what it decodes to.
  if (text.size() >= 16 && std::all_of(text.begin(), text.end(), is_b64)) {
    if (auto decoded = decode_base64(text); decoded && readable(*decoded))
      for (const auto& m : find_formats(*decoded))
        if (!m.placeholder) return m.what + " (base64-encoded)";
  }
  return std::nullopt;
}

}  // namespace platc::policy::secrets
