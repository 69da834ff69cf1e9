// The check of a workload's `egress` blocks, on the merged graphs: an overlay may add `hosts` or
// turn `any_host` on, so only the merged block says what the workload may reach. The types are
// checked already (host names, CIDR ranges, ports); this is what the types cannot say: that a
// block names a destination and a port, does not contradict itself, and names hosts the backends
// can honour. The backends admit public addresses only for `hosts` (a NetworkPolicy cannot name
// a host), so a name that resolves inside the cluster or the private network would be allowed
// in the manifests and still never reached: refused here, with the way that works instead.
#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <tuple>

#include "compiler/sema/internal.h"

namespace platc::sema {

using graph::Attr;
using graph::Node;
using graph::Value;
using graph::ValueKind;

namespace {

constexpr std::string_view kEgress = "egress.";

// Why a name cannot be an egress host, with what to write instead, or nothing.
struct HostProblem {
  std::string why, help;
};

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool ipv4_literal(std::string_view h) {
  int labels = 0;
  for (std::size_t at = 0; at <= h.size(); ++labels) {
    std::size_t dot = std::min(h.find('.', at), h.size());
    if (!all_digits(h.substr(at, dot - at))) return false;
    at = dot + 1;
  }
  return labels == 4;
}

std::optional<HostProblem> host_problem(std::string_view h) {
  if (h.starts_with("*."))
    return HostProblem{"a wildcard names no address a firewall can resolve",
                       "list the hosts themselves, such as `\"smtp.example.com\"`"};
  if (ipv4_literal(h)) return HostProblem{"an IP address", fmt::format("write it in `cidrs` as `\"{}/32\"`", h)};
  // Names the cluster's DNS answers (a Service's short name, the namespace's search domains) or
  // that resolve to the node, the private network or the cloud's metadata server.
  static const char* const kLocal[] = {".svc", ".cluster.local", ".local", ".internal", ".localhost"};
  bool local = h == "localhost" || h.find('.') == std::string_view::npos ||
               std::any_of(std::begin(kLocal), std::end(kLocal), [&](const char* s) { return h.ends_with(s); });
  if (local)
    return HostProblem{
        "it resolves inside the cluster or the private network",
        "refer to the platform's own resource instead (`api.url`), which opens the NetworkPolicy to it, or name "
        "a private range in `cidrs`"};
  return std::nullopt;
}

const Attr* list_attr(const Node& n, const std::string& path) {
  const Attr* a = n.attr(path);
  return a && a->value.kind == ValueKind::List ? a : nullptr;
}

// Written with something in it. A value that failed its type check is kept as a placeholder
// (not a list): it was reported already and counts as written, so no second error follows.
bool names_something(const Attr* a) {
  return a && (a->value.kind != ValueKind::List || !a->value.items.empty());
}

SourceRange range_of(const Attr& a, const Node& n) {
  if (a.value.range.valid()) return a.value.range;
  return !a.history.empty() && a.history.back().range.valid() ? a.history.back().range : n.name_range();
}

class EgressCheck {
 public:
  EgressCheck(const Declarations& decls, Diagnostics& diags) : decls_(decls), diags_(diags) {}

  void node(const Node& n) {
    for (const auto& block : n.blocks)
      if (block.starts_with(kEgress)) egress(n, block);
  }

 private:
  const Declarations& decls_;
  Diagnostics& diags_;
  // The graphs repeat a block per environment and target: one report per place.
  std::set<std::tuple<DiagKind, FileId, std::uint32_t, std::uint32_t>> seen_;

  bool first(DiagKind k, const SourceRange& r) { return seen_.insert({k, r.file, r.line, r.col}).second; }

  // The block's header as written (`egress mail`), else the workload's name.
  SourceRange header(const Node& n, const std::string& block) const {
    for (const auto& d : decls_.decls)
      if (d.id == n.id)
        for (const auto& b : d.blocks)
          if (b.path == block && b.range.valid()) return b.range;
    return n.name_range();
  }

  void egress(const Node& n, const std::string& block) {
    std::string name = block.substr(kEgress.size());
    const Attr* hosts = list_attr(n, block + ".hosts");
    const Attr* cidrs = list_attr(n, block + ".cidrs");
    bool destination = names_something(n.attr(block + ".hosts")) || names_something(n.attr(block + ".cidrs"));
    const Attr* ports = list_attr(n, block + ".ports");
    const Attr* any = n.attr(block + ".any_host");
    bool any_host = any && any->value.kind == ValueKind::Bool && any->value.b;

    if (!any_host && !destination) {
      SourceRange where = header(n, block);
      if (first(DiagKind::EgressNoDestination, where))
        diags_.report(DiagKind::EgressNoDestination, where, name, n.id)
            .label("no `hosts`, `cidrs` or `any_host = true`")
            .note("the namespace's NetworkPolicies deny every connection out of the pod that nothing allows")
            .with_help(
                "name where it connects: `hosts = [\"smtp.example.com\"]`, `cidrs = [\"203.0.113.0/24\"]`, or "
                "`any_host = true` for any public address");
    }
    if (any_host)
      for (const Attr* list : {hosts, cidrs}) {
        if (!list || list->value.items.empty()) continue;
        std::string which = list == hosts ? "hosts" : "cidrs";
        SourceRange where = range_of(*any, n);
        if (!first(DiagKind::EgressAnyHostWithList, where)) continue;
        diags_.report(DiagKind::EgressAnyHostWithList, where, name, n.id, which)
            .label("every public address")
            .also(range_of(*list, n), fmt::format("and only these `{}`", which))
            .note(fmt::format("`any_host` admits every public address on the ports, so `{}` would restrict nothing",
                              which))
            .with_help(fmt::format("remove `any_host` to connect to these `{}` only, or remove `{}`", which, which));
      }
    if (ports && ports->value.items.empty()) {
      SourceRange where = range_of(*ports, n);
      if (first(DiagKind::EgressNoPorts, where))
        diags_.report(DiagKind::EgressNoPorts, where, name, n.id)
            .label("an empty list")
            .note("an egress rule without ports would admit every port of its destination")
            .with_help("list the ports it connects to, such as `ports = [443]`");
    }
    if (hosts)
      for (const Value& h : hosts->value.items) {
        if (!h.is_plain_string()) continue;  // `${…}` of a deploy-time output: not known here
        auto problem = host_problem(h.plain());
        SourceRange where = h.range.valid() ? h.range : range_of(*hosts, n);
        if (!problem || !first(DiagKind::EgressHostNotPublic, where)) continue;
        diags_.report(DiagKind::EgressHostNotPublic, where, h.plain(), name, n.id, problem->why)
            .label(problem->why)
            .note(
                "a NetworkPolicy cannot name a host: platc admits the public addresses on the ports for `hosts`, "
                "and the names go to the cloud firewall's FQDN rules")
            .with_help(problem->help);
      }
  }
};

}  // namespace

void check_egress(const Declarations& decls, const std::vector<graph::Graph>& graphs, Diagnostics& diags) {
  EgressCheck check(decls, diags);
  for (const auto& g : graphs)
    for (const auto& n : g.nodes)
      if (n.has_trait("workload")) check.node(n);
}

}  // namespace platc::sema
