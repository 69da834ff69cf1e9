// Key names: what a name says about its value. A name is split into words (snake, kebab, camel,
// dotted, glued: `dbpass` is db + pass); the last word that names a secret decides, unless a
// word after it makes the value a setting about the secret (TOKEN_TTL, PASSWORD_FILE) or a word
// before it makes it a count (max_tokens), or a neighbour turns it into something public or
// unrelated (public_key, page_token, partition_key).
#include <algorithm>
#include <utility>

#include "compiler/policy/secret_text.h"
#include "compiler/policy/secrets.h"

namespace platc::policy::secrets {
namespace {

// Nouns that name a secret whatever the value looks like (within plausible_secret_value).
bool strong_noun(std::string_view w) {
  return one_of(
      w, {"password", "passwd", "passwort", "kennwort", "senha", "contrasena", "passphrase", "passcode", "pwd", "pw",
          "pass", "secret", "token", "credential", "credentials", "creds", "apikey", "privatekey", "pat"});
}

// Nouns that may name a secret: the value has to look like a credential as well.
bool weak_noun(std::string_view w) {
  return one_of(w, {"key", "auth", "authorization", "salt", "signature", "sig", "passwords", "tokens", "secrets",
                    "keys", "apikeys", "cred", "pin"});
}

// Words before `key` that make it a secret key (signing_key, AccountKey, x-api-key).
bool key_qualifier(std::string_view w) {
  return one_of(
      w, {"api",        "access",       "secret",      "private", "signing",  "sign",     "encryption", "encrypt",
          "decryption", "master",       "license",     "licence", "account",  "shared",   "client",     "auth",
          "app",        "service",      "admin",       "root",    "hmac",     "jwt",      "session",    "cookie",
          "storage",    "subscription", "webhook",     "deploy",  "ssh",      "gpg",      "pgp",        "crypto",
          "cipher",     "aes",          "rsa",         "ecdsa",   "ed25519",  "write",    "ingest",     "ingestion",
          "sdk",        "server",       "integration", "partner", "merchant", "consumer", "tls",        "ssl",
          "dek",        "kek",          "recovery",    "unseal"});
}

// Words before `key` or `token` that make the name something else: a public key, a database's
// partition key, a pagination cursor, a tokenizer's special tokens.
bool false_friend(std::string_view noun, std::string_view before) {
  if (noun == "key" || noun == "keys")
    return one_of(before,
                  {"public",  "publishable", "pub",         "verification", "verify",    "partition",       "sort",
                   "foreign", "cache",       "idempotency", "object",       "hash",      "range",           "row",
                   "map",     "dedup",       "dedupe",      "routing",      "composite", "unique",          "index",
                   "shard",   "sharding",    "hot",         "short",        "lookup",    "group",           "message",
                   "s3",      "blob",        "file",        "query",        "dict",      "sorting",         "bucket",
                   "redis",   "cluster",     "site",        "recaptcha",    "captcha",   "instrumentation", "mobile",
                   "browser", "frontend",    "anon",        "anonymous"});
  if (noun == "token" || noun == "tokens")
    return one_of(before, {"page",    "next",   "pagination",   "continuation", "cursor",    "sync",
                           "resume",  "cancel", "cancellation", "pad",          "eos",       "bos",
                           "unk",     "mask",   "sep",          "cls",          "stop",      "special",
                           "start",   "end",    "input",        "output",       "prompt",    "completion",
                           "context", "lexer",  "parse",        "parser",       "delimiter", "separator"});
  if (noun == "secret" || noun == "secrets")
    return one_of(before, {"top", "kubernetes", "k8s", "sealed", "external", "docker", "existing"});
  return false;
}

// Words after the noun that make the value a setting about the secret rather than the secret.
bool about_word(std::string_view w) {
  return one_of(
      w, {"ttl",        "timeout",     "expiry",        "expires",    "expire",      "expiration",   "lifetime",
          "age",        "maxage",      "length",        "len",        "size",        "bytes",        "bits",
          "url",        "uri",         "urls",          "endpoint",   "endpoints",   "host",         "hostname",
          "port",       "path",        "paths",         "file",       "files",       "filename",     "dir",
          "directory",  "folder",      "name",          "names",      "id",          "ids",          "header",
          "headers",    "param",       "parameter",     "query",      "field",       "issuer",       "audience",
          "aud",        "algorithm",   "alg",           "algo",       "type",        "kind",         "mode",
          "method",     "scheme",      "strategy",      "enabled",    "enable",      "disabled",     "required",
          "optional",   "policy",      "policies",      "rotation",   "rotate",      "version",      "format",
          "encoding",   "prefix",      "suffix",        "store",      "ref",         "reference",    "arn",
          "location",   "count",       "limit",         "limits",     "quota",       "interval",     "period",
          "duration",   "seconds",     "secs",          "sec",        "minutes",     "mins",         "hours",
          "days",       "ms",          "env",           "var",        "variable",    "scope",        "scopes",
          "provider",   "service",     "svc",           "server",     "manager",     "backend",      "engine",
          "mount",      "namespace",   "region",        "project",    "source",      "src",          "label",
          "title",      "description", "desc",          "hint",       "help",        "prompt",       "message",
          "msg",        "text",        "doc",           "docs",       "note",        "notes",        "comment",
          "regex",      "pattern",     "rule",          "rules",      "requirement", "requirements", "complexity",
          "strength",   "chars",       "characters",    "link",       "page",        "route",        "template",
          "form",       "input",       "placeholder",   "used",       "usage",       "rate",         "through",
          "thru",       "created",     "updated",       "changed",    "rotated",     "at",           "date",
          "time",       "timestamp",   "checksum",      "digest",     "sha",         "fingerprint",  "thumbprint",
          "kid",        "alias",       "pair",          "ring",       "owner",       "team",         "group",
          "role",       "permissions", "permission",    "perms",      "level",       "retries",      "attempts",
          "validation", "verify",      "verification",  "check",      "checker",     "validator",    "generator",
          "handler",    "callback",    "redirect",      "char",       "delimiter",   "separator",    "lookup",
          "bucket",     "table",       "queue",         "topic",      "from",        "sender",       "email",
          "mail",       "recipient",   "address",       "addr",       "vault",       "keyvault",     "pool",
          "cache",      "min",         "max",           "user",       "username",    "login",        "holder",
          "issued",     "exchange",    "introspection", "revocation", "revoke",      "lifespan",     "status",
          "state",      "flag",        "flags",         "reset",      "per",         "minute",       "second",
          "hour",       "day",         "command",       "cmd",        "script",      "exec",         "helper",
          "program",    "hook",        "pub",           "public"});
}

// Words before the noun that make it a number of them (max_tokens, TOKEN_COUNT's mirror).
bool count_word(std::string_view w) {
  return one_of(w, {"max", "min", "num", "number", "total", "count", "n", "maximum", "minimum"});
}

bool example_word(std::string_view w) {
  return one_of(w, {"example", "examples", "sample", "samples", "placeholder", "dummy", "fake", "mock"});
}

// Suffixes that split a glued lower-case word: dbpassword → db + password, apikey → api + key.
// `key` and `pass` split only after a known qualifier, so that monkey, hockey, compass and
// bypass stay whole.
void split_glued(const std::string& w, std::vector<std::string>& out) {
  static constexpr std::string_view kNouns[] = {"password", "passwd",      "passphrase", "passcode", "secret",
                                                "token",    "credentials", "creds",      "pwd"};
  for (std::string_view n : kNouns) {
    if (w.size() > n.size() + 1 && w.ends_with(n)) {
      split_glued(w.substr(0, w.size() - n.size()), out);
      out.emplace_back(n);
      return;
    }
    // TOKENURL, passwordfile: the noun, then a word about it.
    if (w.size() > n.size() + 1 && w.starts_with(n) && about_word(w.substr(n.size()))) {
      out.emplace_back(n);
      out.push_back(w.substr(n.size()));
      return;
    }
  }
  if (w.size() > 3 && w.ends_with("key") && key_qualifier(w.substr(0, w.size() - 3))) {
    out.push_back(w.substr(0, w.size() - 3));
    out.emplace_back("key");
    return;
  }
  if (w.size() > 4 && w.ends_with("pass") &&
      one_of(w.substr(0, w.size() - 4),
             {"db",  "admin", "root", "user", "mysql", "pg",     "postgres", "redis", "smtp",    "mail",
              "ftp", "sql",   "ldap", "bind", "proxy", "rabbit", "amqp",     "mongo", "require", "master"})) {
    out.push_back(w.substr(0, w.size() - 4));
    out.emplace_back("pass");
    return;
  }
  out.push_back(w);
}

std::string noun_for(const std::vector<std::string>& w, std::size_t k) {
  const std::string& n = w[k];
  std::string before = k > 0 ? w[k - 1] : "";
  if (n == "key") {
    for (auto [word, shown] : {std::pair<std::string_view, std::string_view>{"api", "API"},
                               {"ssh", "SSH"},
                               {"gpg", "GPG"},
                               {"pgp", "PGP"},
                               {"rsa", "RSA"},
                               {"aes", "AES"},
                               {"hmac", "HMAC"},
                               {"jwt", "JWT"},
                               {"tls", "TLS"},
                               {"ssl", "SSL"}})
      if (before == word) return std::string(shown) + " key";
    if (before == "access" && k >= 2 && w[k - 2] == "secret") return "secret access key";
    if (!before.empty() && key_qualifier(before)) return before + " key";
    return "key";
  }
  if (n == "apikey") return "API key";
  if (n == "privatekey") return "private key";
  if (n == "signature" || n == "sig")
    return k >= 2 && w[k - 2] == "shared" && before == "access" ? "shared access signature" : "signature";
  if (one_of(n, {"password", "passwd", "passwort", "kennwort", "senha", "contrasena", "pwd", "pw", "pass", "passcode",
                 "passwords"}))
    return "password";
  if (one_of(n, {"credential", "credentials", "creds", "cred"})) return "credentials";
  if (one_of(n, {"auth", "authorization"})) return "credential";
  if (n == "tokens" || n == "pat") return "token";
  if (n == "secrets") return "secret";
  if (n == "keys" || n == "apikeys") return "key";
  return n;
}

}  // namespace

std::vector<std::string> key_words(std::string_view key) {
  std::vector<std::string> raw;
  std::string cur;
  auto flush = [&] {
    if (!cur.empty()) raw.push_back(cur);
    cur.clear();
  };
  for (std::size_t i = 0; i < key.size(); ++i) {
    char c = key[i];
    if (!is_alnum(c)) {
      flush();
      continue;
    }
    if (is_upper(c) && !cur.empty()) {
      char p = key[i - 1];
      bool next_lower = i + 1 < key.size() && is_lower(key[i + 1]);
      // camelCase (dbPassword), and the end of an acronym before a word (DBPassword, APIKey).
      if (is_lower(p) || is_digit(p) || (is_upper(p) && next_lower)) flush();
    }
    cur += is_upper(c) ? static_cast<char>(c - 'A' + 'a') : c;
  }
  flush();
  std::vector<std::string> out;
  for (const auto& w : raw) split_glued(w, out);
  return out;
}

KeyMeaning key_meaning(std::string_view key) {
  auto w = key_words(key);
  if (w.empty()) return {};
  if (std::any_of(w.begin(), w.end(), [](const std::string& x) { return example_word(x); }))
    return {KeyKind::Example, ""};
  // The last word that names a secret decides: PASSWORD_RESET_TOKEN is a token.
  std::size_t k = w.size();
  for (std::size_t i = w.size(); i-- > 0;)
    if (strong_noun(w[i]) || weak_noun(w[i])) {
      k = i;
      break;
    }
  if (k == w.size()) return {};
  const std::string& noun = w[k];
  std::string before = k > 0 ? w[k - 1] : "";
  if (!before.empty() && false_friend(noun, before)) return {};
  for (std::size_t i = k + 1; i < w.size(); ++i)
    if (about_word(w[i])) return {KeyKind::About, noun_for(w, k)};
  if (!before.empty() && count_word(before)) return {KeyKind::About, noun_for(w, k)};
  // `pass` is a verb or a ticket as often as a password: only as the last word (DB_PASS).
  if (noun == "pass" && k + 1 != w.size()) return {};
  bool strong = strong_noun(noun) || (noun == "key" && !before.empty() && key_qualifier(before));
  return {strong ? KeyKind::Strong : KeyKind::Weak, noun_for(w, k)};
}

bool secret_keyword(std::string_view key) {
  return key_meaning(key).kind == KeyKind::Strong;
}

bool names_identifier(std::string_view key) {
  auto w = key_words(key);
  if (w.empty()) return false;
  // Public halves of key pairs and publishable keys are random by design and public by design.
  if (std::any_of(w.begin(), w.end(), [](const std::string& x) {
        return one_of(x, {"public", "publishable", "pub", "site", "anon", "anonymous"});
      }))
    return true;
  const std::string& last = w.back();
  return one_of(last,
                {"id",       "ids",          "uuid",      "guid",        "uid",        "sid",  "hash",    "checksum",
                 "digest",   "sha",          "sha1",      "sha256",      "sha512",     "md5",  "commit",  "etag",
                 "revision", "rev",          "version",   "fingerprint", "thumbprint", "kid",  "name",    "arn",
                 "nonce",    "build",        "image",     "tag",         "trace",      "span", "request", "correlation",
                 "tenant",   "subscription", "namespace", "sku",         "serial",     "cid",  "oid"}) ||
         key_meaning(key).kind == KeyKind::About;
}

}  // namespace platc::policy::secrets
