// The detector: the evidence of secret_formats.cpp, secret_structure.cpp, secret_keys.cpp and
// secret_values.cpp, weighed in one order. A format is proof whatever the name; a name needs a
// value that could be a secret; entropy is the last resort, and only a warning.
#include "compiler/policy/secrets.h"

#include <algorithm>

#include "compiler/policy/secret_structure.h"
#include "compiler/policy/secret_text.h"

namespace platc::policy::secrets {
namespace {

// AWS_SECRET_ACCESS_KEY = "wJalr…": the secret half of an AWS key pair has no prefix; its name
// and its shape (40 characters of base64) together are as good as a format.
bool aws_secret_by_name(std::string_view key, std::string_view v) {
  auto w = key_words(key);
  bool aws = std::find(w.begin(), w.end(), "aws") != w.end();
  bool secret = std::find(w.begin(), w.end(), "secret") != w.end();
  return aws && secret && v.size() == 40 && !placeholder(v) &&
         std::all_of(v.begin(), v.end(), [](char c) { return is_alnum(c) || c == '+' || c == '/'; }) &&
         shannon_entropy(v) >= 4.2;
}

std::optional<Hit> scan_at(const Site& site, int depth) {
  std::string_view text = site.text;
  std::string_view value = trim(text);
  if (value.empty()) return std::nullopt;
  std::size_t at = static_cast<std::size_t>(value.data() - text.data());
  // An annotation's DNS prefix names who reads it, not what it holds (example.com/api-token).
  std::string_view key = site.key;
  if (site.where == Where::Annotation && key.rfind('/') != std::string_view::npos)
    key.remove_prefix(key.rfind('/') + 1);
  KeyMeaning km = key_meaning(key);
  bool example = km.kind == KeyKind::Example;

  // 1. Formats. Under a name that says "example" only a provider's own token counts: a live
  // token pasted into documentation is still live, a sample JWT or URL is not.
  for (const auto& f : find_formats(text)) {
    if (f.placeholder || (example && (!f.provider || f.what == "a JSON Web Token"))) continue;
    return Hit{Signal::Format, f.what, "", f.offset, f.length};
  }
  if (example) return std::nullopt;
  if (aws_secret_by_name(key, value)) return Hit{Signal::Format, "an AWS secret access key", "", at, value.size()};
  // Base64 of text (a kubeconfig, a .dockerconfigjson): judge what it decodes to, by its own
  // structure only (the name outside says nothing about the lines inside).
  if (depth == 0 && value.size() >= 16 && value.size() % 4 == 0 && !wordy(value) &&
      std::all_of(value.begin(), value.end(), is_b64)) {
    if (auto decoded = decode_base64(value); decoded && readable(*decoded)) {
      Site inner{"", *decoded, site.where, "", ""};
      if (auto h = scan_at(inner, depth + 1); h && h->signal != Signal::Entropy) {
        h->what += " (base64-encoded)";
        h->offset = at;
        h->length = value.size();
        return h;
      }
    }
  }

  // 2. Structure: headers, connection strings, URL queries; then names inside the text.
  auto inner = structure_hits(site);
  for (const auto& h : inner)
    if (h.signal == Signal::Format) return h;

  // 3. The value's own name. A multi-line value is a file, judged line by line above.
  if (value.find('\n') == std::string_view::npos) {
    KeyKind kind = km.kind;
    if (site.where == Where::Tag && kind == KeyKind::Strong) kind = KeyKind::Weak;
    if ((kind == KeyKind::Strong && plausible_secret_value(value)) || (kind == KeyKind::Weak && credential_like(value)))
      return Hit{Signal::Name, with_article(km.noun), std::string(key), at, value.size()};
  }
  for (const auto& h : inner)
    if (h.signal == Signal::Name) return h;

  // 4. Entropy: the whole value, then the values of flags and assignments.
  if (!names_identifier(key) && high_entropy(value) && !placeholder(value))
    return Hit{Signal::Entropy, "", "", at, value.size()};
  for (const auto& h : inner)
    if (h.signal == Signal::Entropy) return h;
  return std::nullopt;
}

}  // namespace

std::optional<Hit> scan(const Site& site) {
  return scan_at(site, 0);
}

}  // namespace platc::policy::secrets
