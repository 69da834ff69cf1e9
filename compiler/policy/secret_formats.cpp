// Known credential formats: the shape alone says what the string is, whatever its name. Most
// providers prefix their tokens (AKIA, ghp_, xoxb-, sk_live_) precisely so that scanners can
// find them; the rest are structures (PEM blocks, JWTs, URLs with a password, webhook URLs).
// A match whose variable part is a stand-in (AKIA…EXAMPLE, ghp_xxxx…) is marked as a
// placeholder rather than dropped, so that callers can tell "documented example" from "nothing".
#include "compiler/policy/secret_formats.h"

#include <algorithm>

#include "compiler/policy/secret_text.h"

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
bool alnum_dollar(char c) {
  return is_alnum(c) || c == '$';
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
    {"NRAK-", upper_digit, 27, 27, "a New Relic API key"},
    {"sntrys_", is_b64, 60, 0, "a Sentry auth token"},
    {"sbp_", lower_hex, 40, 40, "a Supabase access token"},
    {"access_token$production$", alnum_dollar, 40, 0, "a PayPal access token"},
};

// 64 random bytes in base64: an Azure storage account (or Cosmos DB, Service Bus) key.
void azure_key(std::string_view s, std::size_t i, std::vector<FormatMatch>& out) {
  if (i > 0 && b64_std(s[i - 1])) return;
  std::size_t n = run_of(s, i, b64_std);
  if (n != 86 || s.substr(i + n, 2) != "==" || (i + n + 2 < s.size() && is_b64(s[i + n + 2]))) return;
  if (!high_entropy(s.substr(i, 88))) return;
  add_match(out, "an Azure storage account key", i, 88, false, true);
}

// Azure AD application secrets: three characters, a digit, `Q~`, then 31 to 34 more.
void azure_client_secret(std::string_view s, std::size_t i, std::vector<FormatMatch>& out) {
  if (i < 4 || s.substr(i, 2) != "Q~" || !is_digit(s[i - 1])) return;
  auto cls = [](char c) { return is_alnum(c) || c == '_' || c == '~' || c == '.' || c == '-'; };
  std::size_t start = i - 4;
  if (!cls(s[start]) || !cls(s[start + 1]) || !cls(s[start + 2]) || (start > 0 && cls(s[start - 1]))) return;
  std::size_t n = run_of(s, i + 2, cls);
  if (n < 31 || n > 34) return;
  add_match(out, "an Azure AD client secret", start, 6 + n, placeholder_body(s.substr(i + 2, n)), true);
}

// Slack: xoxb- (bot), xoxp- (user), xoxa-, xoxe-, xoxo-, xoxr-, xoxs-.
void slack(std::string_view s, std::size_t i, std::vector<FormatMatch>& out) {
  std::string_view rest = s.substr(i);
  if (!boundary_before(s, i) || rest.size() <= 5 || !rest.starts_with("xox") ||
      std::string_view("abeoprs").find(rest[3]) == std::string_view::npos || rest[4] != '-')
    return;
  std::size_t n = run_of(s, i + 5, alnum_dash);
  if (n >= 10) add_match(out, "a Slack token", i, 5 + n, placeholder_body(s.substr(i + 5, n)), true);
}

// SendGrid: SG. 22 characters . 43 characters.
void sendgrid(std::string_view s, std::size_t i, std::vector<FormatMatch>& out) {
  if (!boundary_before(s, i) || !s.substr(i).starts_with("SG.")) return;
  std::size_t a = run_of(s, i + 3, is_b64url);
  if (a != 22 || i + 3 + a >= s.size() || s[i + 3 + a] != '.') return;
  std::size_t b = run_of(s, i + 4 + a, is_b64url);
  if (b != 43) return;
  add_match(out, "a SendGrid API key", i, 4 + a + b, placeholder_body(s.substr(i + 3, 23 + b)), true);
}

// Telegram bots: the bot's number, `:AA`, then 33 characters.
void telegram(std::string_view s, std::size_t i, std::vector<FormatMatch>& out) {
  if (!boundary_before(s, i)) return;
  std::size_t d = run_of(s, i, is_digit);
  if (d < 8 || d > 10 || s.substr(i + d, 3) != ":AA") return;
  std::size_t n = run_of(s, i + d + 1, is_b64url);
  if (n == 35 && boundary_after(s, i + d + 1 + n))
    add_match(out, "a Telegram bot token", i, d + 1 + n, placeholder_body(s.substr(i + d + 1, n)), true);
}

// Mailchimp: 32 hexadecimal characters, `-us`, the data centre's number.
void mailchimp(std::string_view s, std::size_t i, std::vector<FormatMatch>& out) {
  if (!boundary_before(s, i) || run_of(s, i, lower_hex) != 32 || s.substr(i + 32, 3) != "-us") return;
  std::size_t d = run_of(s, i + 35, is_digit);
  if (d >= 1 && d <= 2 && boundary_after(s, i + 35 + d))
    add_match(out, "a Mailchimp API key", i, 35 + d, placeholder_body(s.substr(i, 32)), true);
}

// Discord bots: base64 of the bot's id (M, N or O…), a timestamp, an HMAC, dot-separated.
void discord_bot(std::string_view s, std::size_t i, std::vector<FormatMatch>& out) {
  if (!boundary_before(s, i) || std::string_view("MNO").find(s[i]) == std::string_view::npos) return;
  std::size_t a = run_of(s, i, is_b64url);
  if (a < 24 || a > 28 || i + a >= s.size() || s[i + a] != '.') return;
  std::size_t b = run_of(s, i + a + 1, is_b64url);
  if (b != 6 || i + a + 1 + b >= s.size() || s[i + a + 1 + b] != '.') return;
  std::size_t c = run_of(s, i + a + b + 2, is_b64url);
  if (c < 27) return;
  auto id = decode_base64(s.substr(i, a));
  if (id && !id->empty() && std::all_of(id->begin(), id->end(), is_digit))
    add_match(out, "a Discord bot token", i, a + b + c + 2, false, true);
}

// An AWS secret access key: 40 characters of base64, next to its key id or named as one.
void aws_secret(std::string_view s, std::size_t i, bool aws, std::vector<FormatMatch>& out) {
  if (i > 0 && b64_std(s[i - 1])) return;
  std::size_t n = run_of(s, i, b64_std);
  if (n != 40 || (i + n < s.size() && is_b64(s[i + n]))) return;
  std::string_view v = s.substr(i, 40);
  if (!std::any_of(v.begin(), v.end(), is_lower) || !std::any_of(v.begin(), v.end(), is_upper)) return;
  if (!aws) return;
  if (shannon_entropy(v) < 4.2) return;
  add_match(out, "an AWS secret access key", i, 40, placeholder_body(v), true);
}

}  // namespace

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

void add_match(std::vector<FormatMatch>& out, std::string_view what, std::size_t at, std::size_t len, bool ph,
               bool provider) {
  out.push_back({std::string(what), at, len, ph, provider});
}

std::vector<FormatMatch> find_formats(std::string_view s) {
  std::vector<FormatMatch> out;
  // An AWS secret key has no prefix: it counts next to AWS's name or a key id.
  bool aws = find_nocase(s, "aws") != std::string_view::npos || s.find("AKIA") != std::string_view::npos ||
             s.find("ASIA") != std::string_view::npos;
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
        add_match(out, p.what, i, p.prefix.size() + n, placeholder_body(s.substr(i + p.prefix.size(), n)), true);
        break;
      }
    }
    if (out.size() == before) {
      slack(s, i, out);
      sendgrid(s, i, out);
      webhook(s, i, out);
      private_key(s, i, out);
      jwt(s, i, out);
      url_password(s, i, out);
      bare_url_password(s, i, out);
      azure_key(s, i, out);
      azure_client_secret(s, i, out);
      aws_secret(s, i, aws, out);
      telegram(s, i, out);
      mailchimp(s, i, out);
      discord_bot(s, i, out);
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
