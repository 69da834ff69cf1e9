// Values: whether a literal could be a secret. Most of the work is saying what is not one:
// placeholders people write where the secret will go, references to where it is kept, sentences
// about it, settings (numbers, durations, paths), identifiers made of words, digests.
#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

#include "compiler/policy/secret_text.h"
#include "compiler/policy/secrets.h"

namespace platc::policy::secrets {
namespace {

// Letters and digits only, lower case: "REPLACE_ME" → "replaceme", "<your-token>" → "yourtoken".
std::string compact(std::string_view v) {
  std::string out;
  for (char c : v)
    if (is_alnum(c)) out += is_upper(c) ? static_cast<char>(c - 'A' + 'a') : c;
  return out;
}

bool vowel(char c) {
  return std::string_view("aeiouy").find(c) != std::string_view::npos;
}

// A lower-case run a person could say: vowels, and no five consonants in a row.
bool pronounceable(std::string_view w) {
  std::size_t vowels = 0, run = 0, longest = 0;
  for (char c : w) {
    if (vowel(c)) {
      ++vowels;
      run = 0;
    } else {
      longest = std::max(longest, ++run);
    }
  }
  return vowels > 0 && longest < 5 && vowels * 5 >= w.size();
}

bool boolean_word(std::string_view l) {
  return one_of(l, {"true", "false", "yes", "no", "on", "off", "enabled", "disabled", "enable", "disable", "required",
                    "optional", "none", "null", "nil", "auto", "always", "never"});
}

// 3600, 1.5, 30s, 15m, 1h30m, 512Mi, 12: numbers and quantities. Long digit strings are not
// settings: a PIN or a numeric password under a secret's name is reported.
bool quantity(std::string_view v) {
  std::size_t i = 0, digits = 0;
  while (i < v.size()) {
    std::size_t d = run_of(v, i, [](char c) { return is_digit(c) || c == '.'; });
    if (d == 0) return false;
    digits += d;
    i += d;
    std::size_t u = run_of(v, i, [](char c) { return is_alpha(c) || c == '%'; });
    if (u > 0 && !one_of(lower(v.substr(i, u)), {"ns", "us", "ms", "s", "m", "h", "d",  "w",  "y",  "k",  "ki",
                                                 "mi", "gi", "ti", "g", "t", "b", "kb", "mb", "gb", "tb", "%"}))
      return false;
    i += u;
  }
  bool all_digits = std::all_of(v.begin(), v.end(), is_digit);
  return !all_digits || digits < 6;
}

// 2024-01-31, 2024-01-31T12:00:00Z: a date is not a credential.
bool date(std::string_view v) {
  return v.size() >= 10 && is_digit(v[0]) && is_digit(v[1]) && is_digit(v[2]) && is_digit(v[3]) && v[4] == '-' &&
         is_digit(v[5]) && is_digit(v[6]) && v[7] == '-' && is_digit(v[8]) && is_digit(v[9]);
}

bool version(std::string_view v) {
  if (!v.empty() && (v.front() == 'v' || v.front() == 'V')) v.remove_prefix(1);
  if (v.empty() || !is_digit(v.front())) return false;
  return std::all_of(v.begin(), v.end(), [](char c) { return is_digit(c) || c == '.'; }) &&
         v.find('.') != std::string_view::npos;
}

bool path(std::string_view v) {
  if (v.find_first_of(" \t") != std::string_view::npos) return false;
  if (v.starts_with("/") || v.starts_with("./") || v.starts_with("../") || v.starts_with("~/") ||
      v.starts_with("file:"))
    return true;
  return v.size() > 2 && is_alpha(v[0]) && v[1] == ':' && v[2] == '\\';
}

// A URL that carries no credential: https://auth.example.com/token. A password in its user
// part is a format (secret_formats.cpp) and a secret in its query a structure (secret_structure.cpp).
bool url(std::string_view v) {
  auto scheme = v.find("://");
  return scheme != std::string_view::npos && scheme > 0 &&
         std::all_of(v.begin(), v.begin() + static_cast<long>(scheme),
                     [](char c) { return is_alnum(c) || c == '+' || c == '.' || c == '-'; });
}

// Words that authentication settings take as values: `auth = "oauth2"` is a scheme, not a secret.
bool scheme_word(std::string_view v) {
  std::string l = lower(v);
  while (!l.empty() && is_digit(l.back())) l.pop_back();
  return one_of(l, {"oauth",    "oidc", "saml",       "ldap", "jwt",    "bearer", "basic",    "digest", "hmac", "ntlm",
                    "kerberos", "mtls", "tls",        "ssl",  "apikey", "iam",    "rbac",     "sso",    "aws",  "gcp",
                    "azure",    "v",    "scram-sha-", "md",   "sha",    "plain",  "password", "token",  "cert", "x"});
}

// Tokens public by design, whatever their name: Stripe's publishable keys, Mapbox's public tokens,
// SSH public keys, as a line or as the base64 blob.
bool public_token(std::string_view v) {
  for (std::string_view p : {"pk_live_", "pk_test_", "pk.eyJ", "ssh-rsa ", "ssh-ed25519 ", "ecdsa-sha2-", "AAAAB3NzaC1",
                             "AAAAC3NzaC1", "AAAAE2VjZHNh"})
    if (v.starts_with(p)) return true;
  return false;
}

// Random-looking but not key material: Stripe's object ids (price_…, cus_…), subresource
// integrity digests (sha384-…), base64 of images and archives, DER certificates.
bool random_but_public(std::string_view v) {
  if (v.starts_with("MII") && v.substr(0, 24).find("gAwIBAgI") != std::string_view::npos) return true;
  auto us = v.find('_');
  if (us != std::string_view::npos &&
      one_of(v.substr(0, us), {"price", "prod", "cus", "sub", "pi", "ch", "acct", "evt", "in", "pm", "seti",   "txn",
                               "plan",  "card", "src", "ba",  "re", "po", "tr",   "si",  "ii", "cs", "prctbl", "tax"}))
    return true;
  for (std::string_view p : {"sha256-", "sha384-", "sha512-", "iVBORw0KGgo", "R0lGOD", "/9j/", "UEsDB", "JVBERi0"})
    if (v.starts_with(p)) return true;
  return false;
}

}  // namespace

bool placeholder(std::string_view v) {
  v = trim(v);
  if (v.empty()) return true;
  // Templating and variables: ${DB_PASSWORD}, {{ .Values.token }}, $(TOKEN), %API_KEY%, $TOKEN.
  for (std::string_view open : {"${", "{{", "$(", "<%", "%(", "#{"})
    if (v.find(open) != std::string_view::npos) return true;
  if (v.front() == '$' && v.size() > 1 &&
      std::all_of(v.begin() + 1, v.end(), [](char c) { return is_alnum(c) || c == '_'; }))
    return true;
  // %API_KEY%, <token>, [REDACTED], {password}, __TOKEN__, @@KEY@@: a name in brackets (not JSON).
  bool named = v.size() > 2 && std::all_of(v.begin() + 1, v.end() - 1, [](char c) {
                 return is_alnum(c) || c == '_' || c == '-' || c == ' ' || c == '.';
               });
  if (v.size() > 2 &&
      ((v.front() == '%' && v.back() == '%') || (v.front() == '<' && v.back() == '>') ||
       (named && v.front() == '[' && v.back() == ']') || (named && v.front() == '{' && v.back() == '}') ||
       (v.starts_with("__") && v.ends_with("__")) || (v.starts_with("@@") && v.ends_with("@@"))))
    return true;
  // sk_live_<key>, token-<REPLACE>: a hole in the middle.
  auto lt = v.find('<');
  if (lt != std::string_view::npos && v.find('>', lt) != std::string_view::npos) return true;
  // An ellipsis where the rest was cut: sk-..., ghp_…
  if (v.find("...") != std::string_view::npos || v.find("\u2026") != std::string_view::npos) return true;
  // Masks and runs: ***, xxxx, XXXXXXXX, ghp_xxxxxxxx…, 00000000.
  std::size_t run = 1, masks = 0;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (i > 0) run = v[i] == v[i - 1] ? run + 1 : 1;
    bool mask = v[i] == 'x' || v[i] == 'X' || v[i] == '*' || v[i] == '#' || v[i] == '.';
    if (mask) ++masks;
    if ((mask && run >= 4) || run >= 6) return true;
  }
  if (v.size() >= 2 && masks == v.size()) return true;
  std::string c = compact(v);
  if (c.empty()) return true;
  if (one_of(c, {"changeme", "changeit", "changethis",  "replaceme",  "replacethis", "password", "passwd",
                 "pass",     "pwd",      "secret",      "token",      "apikey",      "key",      "none",
                 "null",     "nil",      "undefined",   "empty",      "redacted",    "removed",  "hidden",
                 "masked",   "notset",   "unset",       "todo",       "tbd",         "fixme",    "test",
                 "testing",  "foo",      "bar",         "foobar",     "baz",         "value",    "default",
                 "na",       "tochange", "secretvalue", "mypassword", "mysecret",    "mytoken",  "mykey",
                 "myapikey"}))
    return true;
  for (std::string_view marker : {"example", "sample", "placeholder", "dummy", "changeme", "redacted", "replaceme",
                                  "yourkey", "yourtoken", "yoursecret", "yourpassword", "yourapikey", "fakekey",
                                  "faketoken", "fakesecret", "fakepassword", "notarealkey", "notreal"})
    if (c.find(marker) != std::string::npos) return true;
  auto w = key_words(v);
  // your_api_key, YOUR-TOKEN-HERE, insert-key-here, enter_password, my-secret-token.
  if (c.starts_with("your") || (c.size() > 6 && c.ends_with("here"))) return true;
  if (w.size() >= 2 && one_of(w.front(), {"insert", "enter", "replace", "put", "paste", "fill", "add", "set", "my"}) &&
      std::any_of(w.begin() + 1, w.end(), [](const std::string& x) {
        return one_of(x, {"password", "secret", "token", "key", "apikey", "here", "value", "credentials", "pass", "pwd",
                          "passwd"});
      }))
    return true;
  return false;
}

bool reference(std::string_view v) {
  v = trim(v);
  for (std::string_view p : {"arn:",     "secretsmanager:", "ssm:",         "vault:",    "sm://",
                             "gcpsm://", "azurekv://",      "keyvault:",    "ref+",      "@microsoft.keyvault(",
                             "op://",    "awssm:",          "doppler://",   "secret://", "k8s://",
                             "env:",     "file:",           "akv://",       "gsm://",    "bws://",
                             "secret:",  "secretref:",      "secretkeyref:"})
    if (starts_with_nocase(v, p)) return true;
  if (v.starts_with("projects/") && v.find("/secrets/") != std::string_view::npos) return true;
  // YAML tags that fetch or encrypt the value elsewhere: Ansible's !vault, CloudFormation's !Ref.
  if (v.size() > 1 && v.front() == '!' && is_alpha(v[1])) return true;
  // The name of another variable: STRIPE_SECRET_KEY.
  bool env_name = v.size() >= 5 && v.find('_') != std::string_view::npos && is_upper(v.front()) &&
                  std::all_of(v.begin(), v.end(), [](char c) { return is_upper(c) || is_digit(c) || c == '_'; }) &&
                  std::count_if(v.begin(), v.end(), is_digit) * 4 < static_cast<long>(v.size());
  if (env_name) return true;
  // The name of a secret rather than its value: db-password, stripe-api-key, app_secret.
  bool identifier = std::all_of(v.begin(), v.end(),
                                [](char c) { return is_lower(c) || is_digit(c) || c == '-' || c == '_' || c == '.'; });
  if (identifier && wordy(v)) {
    auto w = key_words(v);
    if (w.size() >= 2 && one_of(w.back(), {"password", "passwd", "pwd", "secret", "token", "key", "credentials",
                                           "creds", "apikey", "passphrase"}))
      return true;
  }
  // A path in a secret store: shop/db-password, ohmycoins/prod/openai-api-key, database/creds/app.
  // Base64 key material has slashes too, between random runs, not words.
  if (v.find('/') != std::string_view::npos && v.find_first_of(" \t:@") == std::string_view::npos) {
    bool all = true, any_word = false;
    std::size_t start = 0;
    while (start <= v.size()) {
      auto end = v.find('/', start);
      std::string_view seg = v.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
      if (!seg.empty()) {
        bool ok = std::all_of(seg.begin(), seg.end(),
                              [](char c) { return is_lower(c) || is_digit(c) || c == '-' || c == '_' || c == '.'; });
        if (!ok) all = false;
        if (wordy(seg)) any_word = true;
      }
      if (end == std::string_view::npos) break;
      start = end + 1;
    }
    if (all && any_word) return true;
  }
  return false;
}

bool prose(std::string_view v) {
  v = trim(v);
  std::vector<std::string> words;
  std::string cur;
  for (char c : v) {
    if (is_space(c)) {
      if (!cur.empty()) words.push_back(cur);
      cur.clear();
    } else {
      cur += is_upper(c) ? static_cast<char>(c - 'A' + 'a') : c;
    }
  }
  if (!cur.empty()) words.push_back(cur);
  if (words.size() < 3) return false;
  // Sentences are made of words: `machine api.internal login bot password Zq8…` is a netrc line.
  std::size_t plain = 0;
  bool stopword = false;
  for (auto& w : words) {
    while (!w.empty() && std::string_view(".,;:!?)\"'").find(w.back()) != std::string_view::npos) w.pop_back();
    while (!w.empty() && (w.front() == '(' || w.front() == '"' || w.front() == '\'')) w.erase(0, 1);
    if (!w.empty() && std::all_of(w.begin(), w.end(), [](char c) { return is_lower(c) || c == '-' || c == '\''; }))
      ++plain;
    if (one_of(w, {"the",   "a",      "an",   "is",    "are",   "be",     "to",   "of",    "for",    "in", "on",
                   "at",    "by",     "with", "from",  "and",   "or",     "not",  "this",  "that",   "it", "its",
                   "your",  "you",    "we",   "our",   "must",  "should", "can",  "will",  "may",    "if", "when",
                   "every", "each",   "use",  "see",   "than",  "as",     "into", "after", "before", "do", "does",
                   "never", "please", "here", "there", "which", "who",    "how",  "what"}))
      stopword = true;
  }
  if (plain * 4 < words.size() * 3) return false;
  return words.size() >= 6 || stopword || std::string_view(".!?:").find(v.back()) != std::string_view::npos;
}

bool wordy(std::string_view v) {
  // Segments: split at separators, at camelCase boundaries and between letters and digits.
  struct Seg {
    std::string text;
    bool digits = false, sep_before = false, sep_after = false;
  };
  std::vector<Seg> segs;
  bool separated = false, sep = true;
  std::size_t total = 0, digits = 0;
  for (std::size_t i = 0; i < v.size(); ++i) {
    char c = v[i];
    if (!is_alnum(c)) {
      if (!segs.empty()) segs.back().sep_after = true;
      separated = sep = true;
      continue;
    }
    ++total;
    if (is_digit(c)) ++digits;
    bool split = segs.empty() || sep;
    if (!split) {
      char p = v[i - 1];
      bool next_lower = i + 1 < v.size() && is_lower(v[i + 1]);
      if (is_digit(c) != is_digit(p)) split = true;
      if (is_upper(c) && (is_lower(p) || (is_upper(p) && next_lower))) split = separated = true;
    }
    if (split) segs.push_back({"", is_digit(c), sep, false});
    segs.back().text += is_upper(c) ? static_cast<char>(c - 'A' + 'a') : c;
    sep = false;
  }
  if (!segs.empty()) segs.back().sep_after = true;
  if (total == 0) return false;
  // `hunter2`, `s3cret`: a word with digits glued on is how people write passwords.
  if (digits > 0 && !separated) return false;
  // Words are long: random text cut at its case changes gives many short pieces.
  if (segs.size() * 3 > total) return false;
  std::size_t covered = 0;
  for (std::size_t i = 0; i < segs.size(); ++i) {
    const Seg& s = segs[i];
    if (s.digits) {
      if (s.text.size() > 4) return false;
      continue;
    }
    if (s.text.size() >= 3) {
      if (!pronounceable(s.text)) return false;
      covered += s.text.size();
      continue;
    }
    // A short piece is a word of its own (`a`, `db`) or a version's letter (`v2`, `s3`).
    bool by_digit = (i > 0 && segs[i - 1].digits) || (i + 1 < segs.size() && segs[i + 1].digits);
    if (!(s.sep_before && s.sep_after) && !by_digit) return false;
  }
  return covered * 10 >= total * 6;
}

bool plausible_secret_value(std::string_view v) {
  v = trim(v);
  if (v.size() < 3 || public_token(v)) return false;
  if (v.find('\n') != std::string_view::npos) return false;
  std::string l = lower(v);
  if (boolean_word(l) || quantity(v) || version(v) || date(v) || path(v)) return false;
  if (url(v) && !known_credential(v)) return false;
  return !placeholder(v) && !reference(v) && !prose(v);
}

bool credential_like(std::string_view v) {
  v = trim(v);
  if (!plausible_secret_value(v) || v.size() < 6) return false;
  if (v.find_first_of(" \t") != std::string_view::npos) return false;
  if (scheme_word(v) || wordy(v)) return false;
  // user:password (not host:port).
  auto colon = v.find(':');
  if (colon != std::string_view::npos && colon > 0 && colon + 1 < v.size() && v.find(':', colon + 1) == v.npos) {
    std::string_view after = v.substr(colon + 1);
    if (std::all_of(after.begin(), after.end(), is_digit)) return false;
    return !placeholder(after);
  }
  // An e-mail address or a host name is not a credential.
  if (v.find('@') != std::string_view::npos) return false;
  bool lo = std::any_of(v.begin(), v.end(), is_lower), up = std::any_of(v.begin(), v.end(), is_upper),
       di = std::any_of(v.begin(), v.end(), is_digit),
       sy = std::any_of(v.begin(), v.end(), [](char c) { return !is_alnum(c); });
  return int(lo) + int(up) + int(di) + int(sy) >= 2 || v.size() >= 16;
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
  if (s.size() < 20 || s.size() > 4096 || public_token(s) || random_but_public(s)) return false;
  if (!std::all_of(s.begin(), s.end(), is_b64)) return false;
  // Hexadecimal: digests, commit ids and checksums are public by design.
  if (std::all_of(s.begin(), s.end(), is_hex)) return false;
  bool upper = std::any_of(s.begin(), s.end(), is_upper), lower_ = std::any_of(s.begin(), s.end(), is_lower),
       digit = std::any_of(s.begin(), s.end(), is_digit);
  if (!(upper && lower_ && digit)) return false;
  // Identifiers made of words: PaymentsGatewayServiceV2Blue.
  if (wordy(s)) return false;
  // Base64 of readable text is encoded configuration, not key material.
  if (auto decoded = decode_base64(s); decoded && readable(*decoded)) return false;
  double limit = std::min(4.5, std::log2(static_cast<double>(s.size())) - 0.7);
  return shannon_entropy(s) >= limit;
}

}  // namespace platc::policy::secrets
