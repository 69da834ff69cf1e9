// The Kubernetes backend's check step: everything about a graph that Kubernetes would reject,
// reported with the range of the name or key as written, so `platc check` (the pre-commit hook,
// the CI lint stage) finds it before `platc build` would have to refuse.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <tuple>
#include <utility>

#include "backends/contract/names.h"
#include "backends/kubernetes/kubernetes.h"
#include "backends/kubernetes/load_balancer.h"
#include "backends/kubernetes/probes.h"
#include "compiler/support/names.h"

namespace platc::kubernetes {

using graph::Node;
using graph::Value;
using graph::ValueKind;

namespace {

// Data stores: their deploy-time outputs reach the workloads through a connection Secret.
bool has_connection_secret(const Node& n) {
  return n.has_trait("reachable") && !n.has_trait("workload");
}

// Workloads, secrets and dashboards become Kubernetes objects named after their blocks.
const char* object_group(const Node& n) {
  if (n.has_trait("workload")) return "workload";
  if (n.has_trait("secret")) return "secret";
  if (n.kind == "dashboard") return "dashboard";
  return nullptr;
}

void check_connection_secret(const Node& n, Diagnostics& diags) {
  // Workloads read its deploy-time outputs from the Secret `<name>-connection`, and a pre-deploy
  // job from its copy `<name>-connection-hook`.
  std::string secret = contract::hook_copy(k8s_spelling(n.id) + "-connection");
  if (std::string why = name_problem(secret, 63); !why.empty())
    diags.report(DiagKind::NotKubernetesName, n.name_range(), n.id, "its connection secret " + why)
        .label("too long for the name of its connection secret")
        .note(
            "the outputs of databases, caches, topics, queues and buckets reach the workloads through "
            "the Kubernetes Secret `<name>-connection` (and `<name>-connection-hook` for pre-deploy "
            "jobs): names of at most 47 characters fit")
        .with_help("shorten the name");
}

void check_object_names(const graph::Graph& g, Diagnostics& diags) {
  // In the order they were written: of two blocks that clash, the second is the one reported.
  std::vector<const Node*> nodes;
  for (const auto& n : g.nodes)
    if (!n.name.empty()) nodes.push_back(&n);
  std::stable_sort(nodes.begin(), nodes.end(), [](const Node* a, const Node* b) {
    const SourceRange &x = a->name_range(), &y = b->name_range();
    return std::tie(x.file, x.line, x.col) < std::tie(y.file, y.line, y.col);
  });
  // group/spelling -> the first block to claim the name, and which of its objects has it (empty:
  // the block's own objects).
  std::map<std::string, std::pair<const Node*, std::string>> seen;
  auto first_label = [](const std::pair<const Node*, std::string>& first, const char* own) {
    if (first.second.empty()) return fmt::format("{} {} `{}`", own, first.first->kind, first.first->id);
    return fmt::format("and so is {}", first.second);
  };
  // Objects a block makes under a derived name (`<db>-connection`, `<name>-headless`) share the
  // namespace of their kind with every other block's: the second to claim a name is reported.
  auto claim = [&](const Node& n, const char* group, const std::string& name, const std::string& what) {
    auto [it, fresh] = seen.emplace(std::string(group) + "/" + name, std::pair{&n, what});
    if (fresh) return;
    diags.report(DiagKind::KubernetesNameClash, n.name_range(), it->second.first->id, n.id, name)
        .label(fmt::format("{} is `{}`", what, name))
        .also(it->second.first->name_range(), first_label(it->second, "and so is"))
        .note("both would write the same Kubernetes object, and one would replace the other")
        .with_help("rename one of them");
  };
  for (const Node* np : nodes) {
    const Node& n = *np;
    if (has_connection_secret(n)) {
      check_connection_secret(n, diags);
      std::string secret = contract::connection_secret(n.id);
      if (!secret.empty() && name_problem(contract::hook_copy(secret), 63).empty()) {
        std::string of = fmt::format("{} `{}`", n.kind, n.id);
        claim(n, "secret", secret, "the connection Secret of " + of);
        claim(n, "secret", contract::hook_copy(secret), "the hook copy of the connection Secret of " + of);
      }
      continue;
    }
    const char* group = object_group(n);
    if (!group) continue;
    std::string spelled = k8s_spelling(n.id);
    if (std::string why = name_problem(spelled, kMaxObjectName); !why.empty()) {
      auto& r = diags.report(DiagKind::NotKubernetesName, n.name_range(), n.id, why)
                    .label(fmt::format("becomes `{}`", spelled))
                    .note(
                        "a Kubernetes name is lower-case letters, digits and `-`, starting and ending with a "
                        "letter or digit; platc lowers the case and turns `_` into `-`");
      if (std::string better = name_suggestion(spelled, kMaxObjectName); !better.empty() && better != spelled)
        r.with_help(fmt::format("rename it, for example to `{}`", better));
      continue;
    }
    auto [it, fresh] = seen.emplace(std::string(group) + "/" + spelled, std::pair{&n, std::string()});
    if (!fresh) {
      diags.report(DiagKind::KubernetesNameClash, n.name_range(), it->second.first->id, n.id, spelled)
          .label(fmt::format("{} `{}` becomes `{}`", n.kind, n.id, spelled))
          .also(it->second.first->name_range(), first_label(it->second, "and so does"))
          .note("both would write the same Kubernetes objects, and one would replace the other")
          .with_help("rename one of them");
      continue;
    }
    // A StatefulSet's pods are named through a second, headless Service.
    if (n.has_trait("workload") && n.has_block("storage"))
      claim(n, "workload", spelled + "-headless", fmt::format("the headless Service of {} `{}`", n.kind, n.id));
    // Its values that look like secrets go to a Secret of their own (configuration.cpp).
    if (n.has_trait("workload") && std::any_of(n.attrs.begin(), n.attrs.end(), [](const auto& a) {
          return a.second.value.holds_secret();
        }))
      claim(n, "secret", contract::env_secret(n.id), fmt::format("the env Secret of {} `{}`", n.kind, n.id));
  }
}

// Every environment becomes the namespace `<platform>-<environment>`, and its name a label value.
void check_namespace(const graph::Graph& g, Diagnostics& diags) {
  const Node* platform = g.platform_node();
  const Node* env = g.environment_node();
  if (!platform || platform->name.empty()) return;
  std::string full = platform->name + "-" + g.environment;
  std::string ns = k8s_spelling(full);
  if (std::string why = name_problem(ns, 63); !why.empty()) {
    if (env)
      diags.report(DiagKind::NotKubernetesName, env->name_range(), full, why)
          .label(fmt::format("the namespace of environment `{}` would be `{}`", g.environment, ns))
          .also(platform->name_range(), "the platform's name is the first part")
          .note("every environment gets the namespace `<platform>-<environment>`, at most 63 characters")
          .with_help("shorten the platform's or the environment's name");
    else
      diags.report(DiagKind::NotKubernetesName, platform->name_range(), full, why)
          .label(fmt::format("the namespace would be `{}`", ns))
          .note(
              "a platform without environments is built as environment `default`, namespace "
              "`<platform>-default`, at most 63 characters")
          .with_help("shorten the platform's name");
    return;
  }
  // The cloud-side names (`<platform>-<env>-<name>`) and the `environment` label use each part
  // on its own.
  for (const Node* part : {platform, env}) {
    if (!part) continue;
    std::string spelled = k8s_spelling(part->name);
    if (std::string why = name_problem(spelled, 63); !why.empty())
      diags.report(DiagKind::NotKubernetesName, part->name_range(), part->name, why)
          .label(fmt::format("becomes `{}` in the names of its objects", spelled))
          .note(fmt::format("the {}'s name is a part of every cloud resource name (`<platform>-<environment>-<name>`) "
                            "and a label value, each a letter or digit at both ends",
                            part->kind))
          .with_help("start and end the name with a letter or digit");
  }
}

// A workload's objects go to `<name>.yaml` beside the files of the whole environment: a workload
// named like one of those would replace it (the Namespace with its Pod Security labels, the
// default-deny NetworkPolicies …).
void check_file_names(const graph::Graph& g, Diagnostics& diags) {
  for (const auto& n : g.nodes) {
    if (!n.has_trait("workload")) continue;
    std::string file = contract::object_name(n.id) + ".yaml";
    for (const auto& [reserved, what] : environment_files())
      if (file == reserved)
        diags.report(DiagKind::ReservedFileName, n.name_range(), n.kind, n.id, file, what)
            .label(fmt::format("its objects would go to `{}`", file))
            .note(
                "each workload's objects are written to kubernetes/<environment>/<name>.yaml, beside the "
                "files platc writes for the whole environment")
            .with_help(fmt::format("rename the {}, for example to `{}-{}`", n.kind, n.id, n.kind));
  }
}

// Port names name the container's and the Service's ports (IANA service names).
void check_ports(const graph::Graph& g, Diagnostics& diags) {
  for (const auto& n : g.nodes) {
    const graph::Attr* a = n.attr("ports");
    if (!n.has_trait("workload") || !a || a->value.kind != ValueKind::Map) continue;
    const Value& m = a->value;
    for (std::size_t k = 0; k < m.entries.size(); ++k) {
      const std::string& name = m.entries[k].first;
      std::string why = port_name_problem(name);
      if (why.empty()) continue;
      SourceRange where = k < m.key_ranges.size() ? m.key_ranges[k] : m.entries[k].second.range;
      diags.report(DiagKind::InvalidKey, where, name, "port name")
          .label(why)
          .note(
              "port names are at most 15 lower-case letters, digits and single `-`, with at least one "
              "letter, starting and ending with a letter or digit: they name the container's and the "
              "Service's ports");
    }
  }
}

// `expose.class` names an IngressClass object: a DNS subdomain. An empty one would silently drop
// the target's class and its controller's annotations, leaving the Ingress to whatever default.
void check_ingress_class(const graph::Graph& g, Diagnostics& diags) {
  for (const auto& n : g.nodes) {
    const graph::Attr* a = n.attr("expose.class");
    if (!a || a->value.kind != ValueKind::String) continue;
    std::string cls = a->value.plain();
    if (is_dns_subdomain(cls)) continue;
    SourceRange where = a->value.range.valid() ? a->value.range : n.name_range();
    auto& d = diags
                  .report(DiagKind::NotIngressClassName, where, cls,
                          cls.empty() ? "it is empty" : "lower-case letters, digits, `-` and `.` only")
                  .label(cls.empty() ? "an empty class" : "not a DNS subdomain")
                  .note(
                      "`class` replaces the target's ingress class (and drops its controller's annotations): it "
                      "names the IngressClass of the controller that serves this Ingress");
    d.with_help(cls.empty() ? "remove `class` to use the target's controller, or name an IngressClass such as `nginx`"
                            : "write the IngressClass's name as `kubectl get ingressclass` lists it");
  }
}

}  // namespace

void check(const graph::Graph& g, Diagnostics& diags) {
  check_namespace(g, diags);
  check_object_names(g, diags);
  check_ports(g, diags);
  check_file_names(g, diags);
  check_ingress_class(g, diags);
  check_hosts(g, diags);
  check_pods(g, diags);
  check_probes(g, diags);
  check_load_balancers(g, diags);
  check_secret_values(g, diags);
}

}  // namespace platc::kubernetes
