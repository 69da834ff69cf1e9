// GCP label rules ("Requirements for labels", Resource Manager): keys and values of at most 63
// characters (and 128 bytes), only lower-case letters, digits, `_` and `-`, international
// characters allowed; a key is not empty and starts with a lower-case letter; at most 64 labels on
// a resource. platc writes tags as labels exactly as written and refuses at check time what GCP
// would refuse at apply time (E0525): lowering `Team` silently would give one tag two spellings,
// `Team` on Kubernetes objects, AWS and Azure and `team` on GCP (docs/design-notes.md).
#include "backends/terraform_gcp/labels.h"

#include <fmt/format.h>

#include <cstdint>
#include <set>
#include <vector>

namespace platc::terraform_gcp {

namespace {

using graph::Node;
using graph::Value;
using graph::ValueKind;

enum class Class { Ok, Upper, Bad };

// The code points of `s`; an invalid UTF-8 sequence decodes to U+FFFF, which no label takes.
std::vector<std::uint32_t> code_points(std::string_view s) {
  std::vector<std::uint32_t> out;
  for (std::size_t i = 0; i < s.size();) {
    auto b = static_cast<unsigned char>(s[i]);
    int n = b < 0x80 ? 0 : (b >> 5) == 0x6 ? 1 : (b >> 4) == 0xE ? 2 : (b >> 3) == 0x1E ? 3 : -1;
    std::uint32_t cp = n == 0 ? b : n == 1 ? (b & 0x1Fu) : n == 2 ? (b & 0x0Fu) : (b & 0x07u);
    if (n < 0 || i + static_cast<std::size_t>(n) >= s.size()) {
      out.push_back(0xFFFF);
      ++i;
      continue;
    }
    bool ok = true;
    for (int k = 1; k <= n; ++k) {
      auto c = static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]);
      if ((c & 0xC0) != 0x80) ok = false;
      cp = (cp << 6) | (c & 0x3Fu);
    }
    out.push_back(ok ? cp : 0xFFFF);
    i += ok ? static_cast<std::size_t>(n) + 1 : 1;
  }
  return out;
}

// The upper-case letters of the scripts a tag is likely written in (Latin-1, Greek, Cyrillic)
// and their lower case; other scripts' capitals are not recognised (no Unicode tables here).
std::uint32_t lower_of(std::uint32_t cp) {
  if (cp >= 'A' && cp <= 'Z') return cp + 32;
  if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) return cp + 32;
  if (cp >= 0x391 && cp <= 0x3A9 && cp != 0x3A2) return cp + 32;
  if (cp >= 0x400 && cp <= 0x40F) return cp + 0x50;
  if (cp >= 0x410 && cp <= 0x42F) return cp + 32;
  return cp;
}

Class classify(std::uint32_t cp) {
  if (cp < 0x80) {
    bool ok = (cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9') || cp == '_' || cp == '-';
    return ok ? Class::Ok : lower_of(cp) != cp ? Class::Upper : Class::Bad;
  }
  if (lower_of(cp) != cp) return Class::Upper;
  // Punctuation and symbols: Latin-1's (but ª µ º, letters), × ÷, general punctuation through
  // the miscellaneous symbols, CJK punctuation, emoji, and what did not decode.
  bool symbol = (cp < 0xC0 && cp != 0xAA && cp != 0xB5 && cp != 0xBA) || cp == 0xD7 || cp == 0xF7 ||
                (cp >= 0x2000 && cp <= 0x2BFF) || (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFE00 && cp <= 0xFE0F) ||
                cp == 0xFFFF || cp >= 0x1F000;
  return symbol ? Class::Bad : Class::Ok;
}

std::string utf8(std::uint32_t cp) {
  std::string out;
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
  return out;
}

std::string shown(std::uint32_t cp) {
  if (cp == ' ') return "a space";
  if (cp == 0xFFFF) return "a byte that is not UTF-8";
  if (cp < 0x20 || cp == 0x7F) return fmt::format("the control character U+{:04X}", cp);
  return "`" + utf8(cp) + "`";
}

bool is_letter_first(std::uint32_t cp) {
  return (cp >= 'a' && cp <= 'z') || (cp >= 0x80 && classify(cp) == Class::Ok);
}

// The tags a block writes itself (the merged map of every environment's overlays), if any.
const Value* tags_of(const Node& n) {
  const Value* t = n.value("tags");
  return t && t->kind == ValueKind::Map ? t : nullptr;
}

SourceRange tags_range(const Node& n) {
  const graph::Attr* a = n.attr("tags");
  if (a && !a->history.empty() && a->history.back().range.valid()) return a->history.back().range;
  return n.name_range();
}

void check_one(const Node& n, Diagnostics& diags) {
  const Value* t = tags_of(n);
  if (!t) return;
  for (std::size_t i = 0; i < t->entries.size(); ++i) {
    const auto& [key, v] = t->entries[i];
    SourceRange kr = i < t->key_ranges.size() && t->key_ranges[i].valid() ? t->key_ranges[i] : tags_range(n);
    SourceRange vr = v.range.valid() ? v.range : kr;
    if (!v.is_plain_string()) continue;  // a deploy-time value: the policy's (P0202) to judge
    std::string value = v.plain();
    for (bool is_key : {true, false}) {
      const std::string& s = is_key ? key : value;
      std::string why = label_problem(s, is_key);
      if (why.empty()) continue;
      auto& d = diags.report(DiagKind::GcpLabelInvalid, is_key ? kr : vr, is_key ? "tag key" : "tag value", s,
                             "a GCP label", why);
      d.label(is_key ? fmt::format("the key of tag `{}`", key) : fmt::format("the value of tag `{}`", key));
      if (n.kind == "platform") d.note("the platform's tags label every GCP resource of the environment");
      if (auto low = lowered_label(s, is_key))
        d.with_help(
            fmt::format("write `{}`: GCP takes only lower-case labels, and platc does not lower a tag for you, so that "
                        "the tag reads the same on every cloud and on the Kubernetes objects",
                        *low));
      else
        d.with_help(is_key ? "use a key of lower-case letters, digits, `_` and `-`, starting with a letter, at most 63 "
                             "characters"
                           : "use a value of lower-case letters, digits, `_` and `-`, at most 63 characters");
    }
  }
}

}  // namespace

std::string label_problem(std::string_view s, bool key) {
  if (key && s.empty()) return "a key cannot be empty";
  if (s.size() > 128) return fmt::format("{} bytes, at most 128 fit", s.size());
  std::vector<std::uint32_t> cps = code_points(s);
  if (cps.size() > 63) return fmt::format("{} characters, at most 63 fit", cps.size());
  for (std::uint32_t cp : cps)
    if (classify(cp) == Class::Bad)
      return fmt::format("{} is not allowed, only lower-case letters, digits, `_` and `-`", shown(cp));
  for (std::uint32_t cp : cps)
    if (classify(cp) == Class::Upper) return "GCP labels are lower case";
  if (key && !is_letter_first(cps.front())) return "a key must start with a lower-case letter";
  return "";
}

std::optional<std::string> lowered_label(std::string_view s, bool key) {
  if (label_problem(s, key).empty()) return std::nullopt;
  std::string out;
  for (std::uint32_t cp : code_points(s)) out += utf8(lower_of(cp));
  if (!label_problem(out, key).empty()) return std::nullopt;
  return out;
}

bool takes_labels(const Node& n) {
  // The kinds whose resources get `labels` (add_labels, labels_of): Cloud SQL, Memorystore,
  // Pub/Sub, Secret Manager, Cloud Storage.
  return n.kind == "database" || n.kind == "cache" || n.kind == "queue" || n.kind == "secret" || n.kind == "bucket";
}

void check_labels(const graph::Graph& g, Diagnostics& diags) {
  const Node* platform = nullptr;
  for (const auto& n : g.nodes)
    if (n.kind == "platform") platform = &n;
  if (!platform) return;
  check_one(*platform, diags);
  // platc's own labels (providers.tf) and the platform's reach every resource.
  std::set<std::string> common = {"environment", "platform", "managed-by"};
  if (const Value* t = tags_of(*platform))
    for (const auto& e : t->entries) common.insert(e.first);
  if (common.size() > kMaxLabels)
    diags
        .report(DiagKind::GcpLabelInvalid, tags_range(*platform), "the tags of platform", platform->id, "GCP labels",
                fmt::format("with `environment`, `platform` and `managed-by` they are {} labels, at most {} fit",
                            common.size(), kMaxLabels))
        .label("these tags label every GCP resource")
        .with_help(fmt::format("remove {} tags", common.size() - kMaxLabels));
  for (const auto& n : g.nodes) {
    if (!takes_labels(n) || !tags_of(n)) continue;
    check_one(n, diags);
    std::set<std::string> all = common;
    for (const auto& e : tags_of(n)->entries) all.insert(e.first);
    if (common.size() <= kMaxLabels && all.size() > kMaxLabels)
      diags
          .report(DiagKind::GcpLabelInvalid, tags_range(n), "the tags of " + n.kind, n.id, "GCP labels",
                  fmt::format("with the platform's and platc's own they are {} labels, at most {} fit", all.size(),
                              kMaxLabels))
          .label("merged over the platform's tags")
          .with_help(fmt::format("remove {} tags here or on the platform", all.size() - kMaxLabels));
  }
}

}  // namespace platc::terraform_gcp
