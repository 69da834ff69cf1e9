// Values that look like secrets (graph::Value::secret, set by the policy stage's detector whether
// or not a waiver accepted the finding). A waiver accepts that the value is in the repository; it
// must not spread it further. The Kubernetes backend can deliver a container's `env`, `command`
// and `args` from a Secret (configuration.cpp), and says so with a note; anywhere else the value
// would be copied as text into a label, an annotation, a probe or a cloud resource, so the build
// stops.
#include <fmt/format.h>

#include "backends/contract/names.h"
#include "backends/kubernetes/kubernetes.h"

namespace platc::kubernetes {

using graph::Node;
using graph::Value;

namespace {

// The first value inside `v` that is a secret; `path` gets the keys of the maps it is in
// (`tags` → `tags.deploy_password`).
const Value* first_secret(const Value& v, std::string& path) {
  if (v.secret) return &v;
  for (const auto& item : v.items)
    if (const Value* s = first_secret(item, path)) return s;
  for (const auto& [k, item] : v.entries)
    if (const Value* s = first_secret(item, path)) {
      path = k + (path.empty() ? "" : "." + path);
      return s;
    }
  return nullptr;
}

// The attributes a container reads from a Secret when they look like one: `env.X`, `command`,
// `args`, and the same under `sidecar.NAME.`.
bool delivered_from_secret(const std::string& path) {
  std::string_view p = path;
  if (p.starts_with("sidecar.")) {
    std::size_t dot = p.find('.', 8);
    if (dot == std::string_view::npos) return false;
    p = p.substr(dot + 1);
  }
  return p.starts_with("env.") || p == "command" || p == "args";
}

// Each attribute of `g` that holds a secret, with the first secret value in it and the path to it.
template <typename Visit>
void each_secret(const graph::Graph& g, Visit visit) {
  for (const auto& n : g.nodes) {
    // A `config` group is written only into the workloads that include it (checked there); the
    // policy block is read by platc alone.
    if (n.kind == "config" || n.kind == "policy") continue;
    for (const auto& [path, attr] : n.attrs) {
      std::string inner;
      const Value* secret = first_secret(attr.value, inner);
      if (!secret) continue;
      visit(n, path, attr, *secret, inner.empty() ? path : path + "." + inner,
            secret->range.valid() ? secret->range : n.where);
    }
  }
}

}  // namespace

void check_secret_values(const graph::Graph& g, Diagnostics& diags) {
  each_secret(g, [&](const Node& n, const std::string& path, const graph::Attr&, const Value&, const std::string& full,
                     SourceRange at) {
    if (n.has_trait("workload") && delivered_from_secret(path)) return;
    diags
        .report(DiagKind::SecretValueInPlainText, at, n.id, full,
                "platc can only write it as plain text into the generated files")
        .label("would be copied as text")
        .note(
            "a waiver accepts that a value is in the repository; it does not make it fit for plain text. Only a "
            "workload's `env`, `command` and `args` can read a value from a Kubernetes Secret")
        .with_help(
            "remove it from here; keep the secret in the store (`secret NAME { store = \"…\" }`) and pass it to "
            "the workload in `env`");
  });
}

void note_secret_values(const graph::Graph& g, Diagnostics& diags) {
  each_secret(g, [&](const Node& n, const std::string& path, const graph::Attr& attr, const Value& secret,
                     const std::string&, SourceRange at) {
    if (!n.has_trait("workload") || !delivered_from_secret(path)) return;
    std::string name = contract::env_secret(n.id);
    // The key as configuration.cpp names it: the path, the item's index in a list, and for a
    // value with deploy-time parts one key per run of text between them.
    std::string key = path;
    if (attr.value.kind == graph::ValueKind::List)
      for (std::size_t k = 0; k < attr.value.items.size(); ++k)
        if (&attr.value.items[k] == &secret) key += fmt::format(".{}", k);
    std::string keys = secret.kind == graph::ValueKind::String && !secret.is_plain_string()
                           ? fmt::format("keys `{0}.0`, `{0}.1` …", key)
                           : fmt::format("key `{}`", key);
    diags.report(DiagKind::SecretValueMoved, at, n.id, path, name)
        .label(fmt::format("read from Secret `{}`, {}", name, keys))
        .note(
            "the value is still in the repository and in the generated Secret (base64 is not encryption): anyone "
            "who can read either can read it")
        .with_help(
            "keep it in the secret store instead: declare `secret NAME { store = \"path/in/the/store\" }` and refer "
            "to it by name");
  });
}

}  // namespace platc::kubernetes
