// The P01xx rules: secrets. Every literal string the user wrote goes through the detectors of
// secrets.h; a value gets at most one of P0101-P0103.
#include <algorithm>

#include "compiler/policy/internal.h"
#include "compiler/policy/secrets.h"

namespace platc::policy {

using graph::Node;
using graph::Origin;
using graph::Value;
using graph::ValueKind;

namespace {

std::string last_key(const std::string& path) {
  auto dot = path.rfind('.');
  return dot == std::string::npos ? path : path.substr(dot + 1);
}

// Every literal string the user wrote in a node: (path for messages, key that names it, value).
struct StringSite {
  std::string path;
  std::string key;
  const Value* value;
};

void strings_in(const Value& v, const std::string& path, const std::string& key, std::vector<StringSite>& out) {
  switch (v.kind) {
    case ValueKind::String:
      out.push_back({path, key, &v});
      break;
    case ValueKind::List:
    case ValueKind::Range:
    case ValueKind::Chain:
      for (const auto& item : v.items) strings_in(item, path, key, out);
      break;
    case ValueKind::Map:
      for (const auto& [k, item] : v.entries) strings_in(item, path + "." + k, k, out);
      break;
    case ValueKind::Call:
      for (const auto& item : v.items) strings_in(item, path, key, out);
      for (const auto& [k, item] : v.entries) strings_in(item, path + "." + k, k, out);
      break;
    default:
      break;
  }
}

std::vector<StringSite> user_strings(const Node& n) {
  std::vector<StringSite> out;
  for (const auto& [path, attr] : n.attrs) {
    if (attr.history.empty() || attr.history.back().origin == Origin::Default) continue;
    strings_in(attr.value, path, last_key(path), out);
  }
  return out;
}

const char* kSecretHelp =
    "declare `secret NAME {{ store = \"path/in/the/store\" }}` and write `{} = NAME`; then rotate the value, "
    "as it is in the repository's history";

// Which detector claims a string: a known format wins over a keyword, a keyword over entropy.
enum class Claim { None, Known, Keyword, Entropy };
Claim claim(const StringSite& s, std::string& what) {
  auto text = literal(*s.value);
  if (!text) {
    // Deploy-time references cannot be secrets, but the literal parts can hold one.
    std::string joined;
    for (const auto& p : s.value->pieces)
      if (p.ref_resource.empty()) joined += p.text + " ";
    if (auto f = secrets::known_credential(joined)) {
      what = *f;
      return Claim::Known;
    }
    return Claim::None;
  }
  if (auto f = secrets::known_credential(*text)) {
    what = *f;
    return Claim::Known;
  }
  if (secrets::secret_keyword(s.key) && secrets::plausible_secret_value(*text)) return Claim::Keyword;
  if (secrets::high_entropy(*text)) return Claim::Entropy;
  return Claim::None;
}

}  // namespace

void check_plaintext_secret(Context& c) {
  for (const auto& n : c.g.nodes)
    for (const auto& s : user_strings(n)) {
      std::string what;
      if (claim(s, what) != Claim::Keyword) continue;
      c.report(DiagKind::PolicyPlaintextSecret, n, range_of(*s.value, n), describe(n), s.path)
          .label(fmt::format("`{}` names a secret, and this is its value", s.key))
          .note(
              "a value in a .plat file is in every clone of the repository, in its history and in the generated "
              "manifests")
          .with_help(fmt::format(fmt::runtime(kSecretHelp), s.key));
    }
}

void check_high_entropy(Context& c) {
  for (const auto& n : c.g.nodes)
    for (const auto& s : user_strings(n)) {
      std::string what;
      if (claim(s, what) != Claim::Entropy) continue;
      c.report(DiagKind::PolicyHighEntropy, n, range_of(*s.value, n), describe(n), s.path)
          .label("random-looking, like a key or token")
          .with_help(fmt::format(fmt::runtime(std::string(kSecretHelp) +
                                              "; if it is not a secret, waive P0102 for this resource with the reason"),
                                 s.key));
    }
}

void check_known_credential(Context& c) {
  for (const auto& n : c.g.nodes)
    for (const auto& s : user_strings(n)) {
      std::string what;
      if (claim(s, what) != Claim::Known) continue;
      c.report(DiagKind::PolicyKnownCredential, n, range_of(*s.value, n), describe(n), s.path, what)
          .label(what)
          .note("credentials of this format are valid as written: anyone who can read the repository can use it")
          .with_help(
              "revoke it now, then keep the new one in the secret store: declare `secret NAME { store = \"…\" }` "
              "and refer to it by name");
    }
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

}  // namespace platc::policy
