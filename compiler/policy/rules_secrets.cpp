// The P01xx rules: secrets. Every literal string the user wrote goes through the detector
// (secrets.h) with what it needs to know of its place: the name it sits under, whether it is an
// environment variable, a command-line argument (and the argument before it), a tag, an
// annotation or a header. A finding points at the secret itself when it is part of a longer
// string, and its message says which evidence fired; no message repeats the secret.
#include <algorithm>
#include <string>
#include <unordered_map>

#include "compiler/policy/internal.h"
#include "compiler/policy/secrets.h"
#include "compiler/source/utf8.h"

namespace platc::policy {

using graph::Node;
using graph::Origin;
using graph::Value;
using graph::ValueKind;
using secrets::Signal;
using secrets::Where;

namespace {

// Every literal string the user wrote in a node, with its place.
struct StringSite {
  std::string path;  // for messages: env.DB_PASSWORD, args, tags.owner
  std::string key;   // the name it sits under: DB_PASSWORD, args, owner, api-token
  const Value* value;
  Where where = Where::Value;
  std::string previous;      // list items: the item before
  std::string command_line;  // command and args items: all of them, for which tool runs
};

bool ends_with_word(const std::string& path, std::string_view word) {
  return path == word || path.ends_with("." + std::string(word));
}

Where where_of(const std::string& path) {
  if (path.starts_with("env.")) return Where::Env;
  if (ends_with_word(path, "command") || ends_with_word(path, "args")) return Where::Argument;
  if (path.starts_with("tags.") || path.find(".tags.") != std::string::npos) return Where::Tag;
  if (path.starts_with("annotations.") || path.find(".annotations.") != std::string::npos) return Where::Annotation;
  if (path.find("headers.") != std::string::npos) return Where::Header;
  return Where::Value;
}

std::string text_of(const Value& v) {
  return v.kind == ValueKind::String ? v.plain() : std::string();
}

// The items of `command` and `args` beside `path` (a sidecar's own for its lists), joined.
std::string command_line(const Node& n, const std::string& path) {
  std::string base = path.substr(0, path.size() - (path.ends_with("command") ? 7 : 4));
  std::string out;
  for (const char* list : {"command", "args"})
    if (const Value* v = n.value(base + list))
      for (const auto& item : v->items) out += text_of(item) + " ";
  return out;
}

void strings_in(const Node& n, const Value& v, const std::string& path, const std::string& key,
                std::vector<StringSite>& out) {
  switch (v.kind) {
    case ValueKind::String:
      out.push_back({path, key, &v, where_of(path), "", ""});
      break;
    case ValueKind::List:
    case ValueKind::Range:
    case ValueKind::Chain:
      for (std::size_t i = 0; i < v.items.size(); ++i) {
        std::size_t first = out.size();
        strings_in(n, v.items[i], path, key, out);
        if (out.size() == first + 1 && out.back().where == Where::Argument) {
          if (i > 0) out.back().previous = text_of(v.items[i - 1]);
          out.back().command_line = command_line(n, path);
        }
      }
      break;
    case ValueKind::Map:
      for (const auto& [k, item] : v.entries) strings_in(n, item, path + "." + k, k, out);
      break;
    case ValueKind::Call:
      for (const auto& item : v.items) strings_in(n, item, path, key, out);
      for (const auto& [k, item] : v.entries) strings_in(n, item, path + "." + k, k, out);
      break;
    default:
      break;
  }
}

// The name an attribute's value sits under: its path after the block that holds it
// (`annotations.example.com/api-token` → `example.com/api-token`, `sidecar.x.args` → `args`).
std::string key_of(const Node& n, const std::string& path) {
  std::size_t longest = 0;
  for (const auto& b : n.blocks)
    if (b.size() > longest && path.size() > b.size() && path.starts_with(b) && path[b.size()] == '.')
      longest = b.size() + 1;
  return path.substr(longest);
}

std::vector<StringSite> user_strings(const Node& n) {
  std::vector<StringSite> out;
  for (const auto& [path, attr] : n.attrs) {
    if (attr.history.empty() || attr.history.back().origin == Origin::Default) continue;
    // A value included from a `config` block is reported once, on the block that holds it.
    if (!attr.history.back().from.empty()) continue;
    strings_in(n, attr.value, path, key_of(n, path), out);
  }
  return out;
}

// The detector's verdict on one string.
std::optional<secrets::Hit> claim(const StringSite& s, std::string& text) {
  // Deploy-time references are `${res.out}` in the text: placeholders to the detector, while
  // the literal parts around them are judged as written.
  text = s.value->plain();
  // The same string sits in every (environment, target) graph, and mark_secrets and the P01 rules
  // each ask about it: remembered by everything the verdict depends on, the detector (a fifth of
  // `platc check` on large platforms) runs once per distinct site. Bounded, for long-lived callers
  // such as the fuzzers.
  static std::unordered_map<std::string, std::optional<secrets::Hit>> verdicts;
  std::string memo;
  memo.reserve(s.key.size() + text.size() + s.previous.size() + s.command_line.size() + 8);
  for (std::string_view part : {std::string_view(s.key), std::string_view(text), std::string_view(s.previous),
                                std::string_view(s.command_line)}) {
    memo += std::to_string(part.size());  // lengths first: no two different sites share a key
    memo += ':';
    memo += part;
  }
  memo += static_cast<char>('0' + static_cast<int>(s.where));
  if (auto it = verdicts.find(memo); it != verdicts.end()) return it->second;
  auto verdict = secrets::scan({s.key, text, s.where, s.previous, s.command_line});
  if (verdicts.size() >= (1u << 16)) verdicts.clear();
  verdicts.emplace(std::move(memo), verdict);
  return verdict;
}

// ---- pointing inside a string -------------------------------------------------------------

std::size_t byte_of(const SourceFile& f, std::uint32_t line, std::uint32_t col) {
  if (line == 0 || line > f.line_count()) return std::string::npos;
  std::size_t b = f.line_starts[line - 1];
  for (std::uint32_t c = 1; c < col && b < f.text.size() && f.text[b] != '\n'; ++c) {
    std::size_t len = utf8::sequence_length(f.text, b);
    b += len == 0 ? 1 : len;
  }
  return b;
}

std::pair<std::uint32_t, std::uint32_t> position_of(const SourceFile& f, std::size_t byte) {
  auto it = std::upper_bound(f.line_starts.begin(), f.line_starts.end(), byte);
  auto line = static_cast<std::uint32_t>(it - f.line_starts.begin());
  std::size_t start = f.line_starts[line - 1];
  auto col = static_cast<std::uint32_t>(utf8::count_code_points(std::string_view(f.text).substr(start, byte - start)));
  return {line, col + 1};
}

// The `nth` (0-based) place where `needle` occurs in `hay`, or npos.
std::size_t nth_occurrence(std::string_view hay, std::string_view needle, std::size_t nth) {
  for (std::size_t p = hay.find(needle); p != std::string_view::npos; p = hay.find(needle, p + 1))
    if (nth-- == 0) return p;
  return std::string_view::npos;
}

// The source range of text[off, off+len) inside the string written at `whole`. Decoded text
// and source differ by escapes and a multi-line string's indentation, so the secret's first
// line is looked up in the source (the same occurrence as in the text), then its last line.
// When it cannot be found (an escape inside it), the whole string.
SourceRange narrow(const Context& c, SourceRange whole, std::string_view text, std::size_t off, std::size_t len) {
  // A whole one-line string keeps its quotes in the range, as every other finding on a value.
  bool all = off == 0 && len >= text.size() && text.find('\n') == std::string_view::npos;
  if (!c.sources || !whole.valid() || len == 0 || all) return whole;
  const SourceFile& f = c.sources->file(whole.file);
  std::size_t b0 = byte_of(f, whole.line, whole.col), b1 = byte_of(f, whole.end_line, whole.end_col);
  if (b0 == std::string::npos || b1 == std::string::npos || b1 <= b0) return whole;
  std::string_view raw = std::string_view(f.text).substr(b0, b1 - b0);
  std::string_view secret = text.substr(off, len);
  std::string_view first = secret.substr(0, secret.find('\n'));
  std::size_t nth = 0;
  for (std::size_t p = text.find(first); p != std::string_view::npos && p < off; p = text.find(first, p + 1)) ++nth;
  std::size_t start = nth_occurrence(raw, first, nth);
  if (start == std::string_view::npos) return whole;
  std::size_t end = start + first.size();
  if (first.size() < secret.size()) {
    std::string_view last = secret.substr(secret.rfind('\n') + 1);
    std::size_t at = raw.find(last, end);
    if (last.empty() || at == std::string_view::npos) return whole;
    end = at + last.size();
  }
  auto [l0, c0] = position_of(f, b0 + start);
  auto [l1, c1] = position_of(f, b0 + end);
  return SourceRange{whole.file, l0, c0, l1, c1};
}

const char* kRotate = "then rotate the value, as it is in the repository's history";

// How to keep this secret out of the file, for the place it was written.
std::string help_for(const StringSite& s, const secrets::Hit& h) {
  if (s.where == Where::Env && h.name == s.key)
    return fmt::format("declare `secret NAME {{ store = \"path/in/the/store\" }}` and write `{} = NAME`; {}", s.key,
                       kRotate);
  if (s.where == Where::Argument)
    return fmt::format(
        "declare `secret NAME {{ store = \"path/in/the/store\" }}`, pass it in an environment variable "
        "(`env {{ VAR = NAME }}`) and write `$(VAR)` in the argument, which Kubernetes expands; {}",
        kRotate);
  if (s.where == Where::Tag)
    return fmt::format(
        "remove it from the tags: they are copied in plain text to every cloud resource and Kubernetes label; keep "
        "it in a `secret NAME {{ store = \"…\" }}`; {}",
        kRotate);
  return fmt::format(
      "declare `secret NAME {{ store = \"path/in/the/store\" }}`, pass it to the workload in `env {{ VAR = NAME }}` "
      "and have the program read the variable instead of `{}`; {}",
      h.name.empty() ? s.key : h.name, kRotate);
}

}  // namespace

struct SecretScan {
  struct Found {
    const Node* node;
    StringSite site;
    secrets::Hit hit;
    SourceRange at;
  };
  std::vector<Found> found;  // in node order, then attribute order
};

namespace {

template <typename Report>
void each_hit(Context& c, Signal signal, Report report) {
  if (!c.secret_scan) {
    c.secret_scan = std::make_shared<SecretScan>();
    for (const auto& n : c.g.nodes)
      for (auto& s : user_strings(n)) {
        std::string text;
        auto h = claim(s, text);
        if (!h) continue;
        SourceRange at = narrow(c, range_of(*s.value, n), text, h->offset, h->length);
        c.secret_scan->found.push_back({&n, std::move(s), std::move(*h), at});
      }
  }
  for (const auto& f : c.secret_scan->found)
    if (f.hit.signal == signal) report(*f.node, f.site, f.hit, f.at);
}

}  // namespace

void check_plaintext_secret(Context& c) {
  each_hit(c, Signal::Name, [&](const Node& n, const StringSite& s, const secrets::Hit& h, SourceRange at) {
    c.report(DiagKind::PolicyPlaintextSecret, n, at, describe(n), s.path)
        .label(fmt::format("`{}` names {}, and this is its value", h.name, h.what))
        .note(
            "a value in a .plat file is in every clone of the repository, in its history and in the generated "
            "manifests")
        .with_help(help_for(s, h));
  });
}

void check_high_entropy(Context& c) {
  each_hit(c, Signal::Entropy, [&](const Node& n, const StringSite& s, const secrets::Hit&, SourceRange at) {
    c.report(DiagKind::PolicyHighEntropy, n, at, describe(n), s.path)
        .label("random-looking, like a key or token")
        .with_help(fmt::format("declare `secret NAME {{ store = \"path/in/the/store\" }}` and write `{} = NAME`; {}; "
                               "if it is not a secret, waive P0102 for this resource with the reason",
                               s.key, kRotate));
  });
}

void check_known_credential(Context& c) {
  each_hit(c, Signal::Format, [&](const Node& n, const StringSite& s, const secrets::Hit& h, SourceRange at) {
    c.report(DiagKind::PolicyKnownCredential, n, at, describe(n), s.path, h.what)
        .label(h.what)
        .note("credentials of this format are valid as written: anyone who can read the repository can use it")
        .with_help(
            "revoke it now, then keep the new one in the secret store: declare `secret NAME { store = \"…\" }` "
            "and refer to it by name");
  });
}

void check_unused_secret(Context& c) {
  for (std::size_t k = 0; k < c.g.nodes.size(); ++k) {
    const Node& n = c.g.nodes[k];
    if (n.kind != "secret") continue;
    bool used = std::any_of(c.g.edges.begin(), c.g.edges.end(), [&](const graph::Edge& e) {
      return e.to == k && e.kind == graph::EdgeKind::SecretUse && c.g.nodes[e.from].has_trait("workload");
    });
    if (used) continue;
    c.report(DiagKind::PolicyUnusedSecret, n, n.where, n.id)
        .label("declared here, read by nothing")
        .note("platc still creates the secret-store entry and its access policy in every environment")
        .with_help(fmt::format("read it in a workload's `env` (`NAME = {}`), or remove the block", n.id));
  }
}

// The rule that reports a signal.
const char* code_of(Signal s) {
  switch (s) {
    case Signal::Name:
      return "P0101";
    case Signal::Entropy:
      return "P0102";
    case Signal::Format:
      return "P0103";
  }
  return "P0101";
}

void mark_secrets(graph::Graph& g) {
  Config cfg = read_config(g);
  for (auto& n : g.nodes)
    for (const auto& [path, attr] : n.attrs) {
      // Unlike the rules, included copies of a `config` group's values are judged too: each is
      // written into the workload that includes it.
      if (attr.history.empty() || attr.history.back().origin == Origin::Default) continue;
      std::vector<StringSite> sites;
      strings_in(n, attr.value, path, key_of(n, path), sites);
      for (const auto& s : sites) {
        std::string text;
        auto h = claim(s, text);
        // `sites` points into `n`, which is ours to change: the graph is not const here.
        if (h && !cfg.disabled.count(code_of(h->signal))) const_cast<Value*>(s.value)->secret = true;
      }
    }
}

void mark_secrets(sema::Model& model) {
  for (auto& g : model.graphs) mark_secrets(g);
}

}  // namespace platc::policy
