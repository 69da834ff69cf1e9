// The check step's rules on what a workload's pods would do rather than on names: a `wait_for`
// that could never finish, annotations that would replace platc's own, a stateful service asked
// for what a StatefulSet cannot do, a directory mounted twice (E0444-E0447), a sidecar that cannot be
// a container of the pod (E0509).
#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "backends/contract/names.h"
#include "backends/kubernetes/context.h"
#include "backends/kubernetes/kubernetes.h"
#include "compiler/support/names.h"

namespace platc::kubernetes {

using graph::Node;
using graph::Value;
using graph::ValueKind;

namespace {

constexpr std::string_view kOwnDomain = "platc.dev/";

SourceRange where_of(const graph::Attr& a, const Node& n) {
  if (!a.history.empty() && a.history.back().range.valid()) return a.history.back().range;
  return a.value.range.valid() ? a.value.range : n.name_range();
}

bool waits_for(const Node& n, std::string_view id) {
  const Value* l = n.value("wait_for");
  if (!l || l->kind != ValueKind::List) return false;
  return std::any_of(l->items.begin(), l->items.end(), [&](const Value& v) { return v.text == id; });
}

// A target `wait_for` can never reach: itself (it is not running yet), a service without a port,
// a workload that waits for this one (neither starts), a service from a pre-deploy job (the job
// runs before services are deployed, on the first install before they exist).
std::string unreachable(const Node& n, const Node& t) {
  if (&t == &n) return fmt::format("it is the {} itself, which is not running while it waits", n.kind);
  if (!t.has_trait("workload")) return "";
  const Value* hook = n.value("hook");
  if (hook && hook->kind == ValueKind::Symbol && hook->text == "pre_deploy")
    return fmt::format("a pre-deploy job runs before {} `{}` is deployed", t.kind, t.id);
  if (!t.value("port") && !t.value("ports")) return fmt::format("{} `{}` listens on no port", t.kind, t.id);
  if (waits_for(t, n.id)) return fmt::format("`{}` waits for `{}` in turn, so neither would start", t.id, n.id);
  return "";
}

void check_wait_for(const graph::Graph& g, const Node& n, Diagnostics& diags) {
  const graph::Attr* a = n.attr("wait_for");
  if (!a || a->value.kind != ValueKind::List) return;
  for (const auto& item : a->value.items) {
    const Node* t = item.kind == ValueKind::Ref ? g.find(item.text) : nullptr;
    if (!t) continue;
    std::string why = unreachable(n, *t);
    if (why.empty()) continue;
    SourceRange where = item.range.valid() ? item.range : where_of(*a, n);
    diags.report(DiagKind::WaitForUnreachable, where, n.id, t->id, why)
        .label("never accepts connections while this waits")
        .note(
            "each `wait_for` target becomes an init container that holds the pod back until the target's host "
            "and port accept a TCP connection, and fails the pod after 5 minutes")
        .with_help(fmt::format("remove `{}` from `wait_for`", t->id));
  }
}

void check_annotations(const Node& n, Diagnostics& diags) {
  for (const auto& [key, a] : n.entries("annotations")) {
    if (!key.starts_with(kOwnDomain)) continue;
    diags.report(DiagKind::ReservedAnnotation, where_of(*a, n), key)
        .label("platc writes the annotations of this domain")
        .note(
            "platc's own annotations on the pod template, such as `platc.dev/config-checksum`, make Kubernetes "
            "roll the pods when their configuration changes: a value of yours would replace it or be replaced")
        .with_help("use a key of your own domain, such as `example.com/owner`");
  }
}

void check_storage(const Node& n, Diagnostics& diags) {
  if (!n.has_block("storage")) return;
  if (const graph::Attr* r = n.attr("rollout"); r && r->value.kind == ValueKind::Symbol && r->value.text != "rolling")
    diags.report(DiagKind::StatefulRollout, where_of(*r, n), r->value.text, n.id)
        .label("a StatefulSet cannot roll out this way")
        .note(
            "a service with `storage` becomes a StatefulSet, whose pods each own a volume: it replaces them one "
            "at a time, and has no second set of pods to switch to or shift traffic to")
        .with_help("remove `rollout`, or `storage` if the service keeps no data of its own");
  const graph::Attr* pa = n.attr("storage.path");
  if (!pa || pa->value.kind != ValueKind::String) return;
  std::string path = pa->value.plain();
  // The same rule as `volumes` keys, so that equal directories are equal strings.
  if (std::string why = mount_path_problem(path); !why.empty()) {
    diags.report(DiagKind::InvalidFormat, where_of(*pa, n), path, "mount path", why)
        .label(why)
        .note(
            "a mount path is an absolute directory in the container, such as `/data`, written once: no `.` or "
            "`..` segments, no `//`, no trailing `/`, no `:`, and not `/` itself");
    return;
  }
  if (path == "/tmp")
    diags.report(DiagKind::MountedTwice, where_of(*pa, n), path, n.id)
        .label("the persistent volume here")
        .note(
            "every pod has a scratch volume at `/tmp` (its root filesystem is read-only); a directory holds one volume")
        .with_help("mount the persistent volume elsewhere, such as `/data`");
  for (const auto& [key, a] : n.entries("volumes"))
    if (key == path)
      diags.report(DiagKind::MountedTwice, where_of(*a, n), key, n.id)
          .label("a scratch volume here")
          .also(where_of(*pa, n), "and the persistent volume here")
          .note("a directory holds one volume: the second mount would hide the first")
          .with_help("mount one of them elsewhere");
}

// A sidecar is a container beside the main one: its name and its port's name must be valid and its
// own, and its port one no other container of the pod listens on.
void check_sidecars(const Node& n, Diagnostics& diags) {
  std::string main = contract::object_name(n.id);
  std::map<std::int64_t, std::string> taken;  // port -> who listens on it
  for (const auto& p : ports_of(n)) taken.emplace(p.number, fmt::format("the port `{}` of `{}`", p.name, n.id));
  for (const auto& s : sidecars_of(n)) {
    std::string id = s.block.substr(8);
    const graph::Attr* image = n.attr(s.block + ".image");
    SourceRange where = image ? where_of(*image, n) : n.name_range();
    auto report = [&](const SourceRange& at, const std::string& why, const std::string& help) {
      diags.report(DiagKind::SidecarInvalid, at, id, n.id, why).label("in this sidecar").with_help(help);
    };
    if (s.name.empty() || s.name == main) {
      report(where,
             s.name.empty() ? fmt::format("`{}` is not a Kubernetes container name (at most 63 characters)", id)
                            : fmt::format("its container would be named `{}`, like the main container", s.name),
             "rename the sidecar");
      continue;
    }
    const graph::Attr* port = n.attr(s.block + ".port");
    if (!port || port->value.kind != ValueKind::Int) continue;
    if (std::string why = port_name_problem(s.name); !why.empty()) {
      report(where_of(*port, n), fmt::format("its port would be named `{}`, which has {}", s.name, why),
             "give the sidecar a name of at most 15 characters");
      continue;
    }
    auto [it, fresh] = taken.emplace(port->value.i, fmt::format("sidecar `{}`", id));
    if (!fresh)
      report(where_of(*port, n), fmt::format("port {} is already {}", port->value.i, it->second),
             "give each container of the pod a port of its own");
  }
}

}  // namespace

void check_pods(const graph::Graph& g, Diagnostics& diags) {
  for (const auto& n : g.nodes) {
    if (!n.has_trait("workload")) continue;
    check_wait_for(g, n, diags);
    check_annotations(n, diags);
    check_storage(n, diags);
    check_sidecars(n, diags);
  }
}

}  // namespace platc::kubernetes
