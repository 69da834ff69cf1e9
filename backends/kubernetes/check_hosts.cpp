// The check of the public hosts: the services exposed on one host share one Ingress (ingress.cpp),
// so what an Ingress says once for all its paths (TLS, class, CDN, annotations) must be the same
// for all of them, and no two of them may route the same path. Picking one of two conflicting
// values would silently change a service's exposure, so both services are named instead.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <tuple>

#include "backends/kubernetes/kubernetes.h"

namespace platc::kubernetes {

using graph::Node;
using graph::Value;
using graph::ValueKind;

namespace {

std::string text_of(const Node& n, std::string_view path) {
  const Value* v = n.value(path);
  if (!v) return "";
  if (v->kind == ValueKind::Bool) return v->b ? "true" : "false";
  if (v->kind == ValueKind::String || v->kind == ValueKind::Symbol) return v->plain();
  return std::to_string(v->i);
}

// Where to point: the attribute as written, else (a default) the service's `expose.host`.
SourceRange where(const Node& n, std::string_view path) {
  const graph::Attr* a = n.attr(path);
  if (a && n.written(path) && a->value.range.valid()) return a->value.range;
  if (const graph::Attr* h = n.attr("expose.host"); h && h->value.range.valid()) return h->value.range;
  return n.name_range();
}

std::string shown(const Node& n, std::string_view path, const std::string& v) {
  if (v.empty()) return "unset";
  return n.written(path) ? "`" + v + "`" : "`" + v + "` (the default)";
}

void conflict(Diagnostics& diags, const Node& first, const Node& n, const std::string& host, std::string_view what,
              const std::string& mine, const std::string& theirs, std::string_view path) {
  diags.report(DiagKind::HostSettingConflict, where(n, path), first.id, n.id, host, what)
      .label(fmt::format("{} here", shown(n, path, mine)))
      .also(where(first, path), fmt::format("{} for `{}`", shown(first, path, theirs), first.id))
      .note(
          "the services exposed on one host share one Ingress (one load balancer, one certificate), which "
          "says this once for all its paths")
      .with_help(fmt::format("give both services the same `{}`, or expose one of them on another host", what));
}

void compare(Diagnostics& diags, const Node& first, const Node& n, const std::string& host) {
  for (const char* attr : {"tls", "class", "cdn"}) {
    std::string path = std::string("expose.") + attr;
    std::string a = text_of(first, path), b = text_of(n, path);
    if (a != b) conflict(diags, first, n, host, attr, b, a, path);
  }
  // An annotation both set must agree; one only one of them sets applies to the whole host.
  for (const auto& [key, a] : n.entries("expose.annotations")) {
    for (const auto& [key2, b] : first.entries("expose.annotations")) {
      if (key != key2 || a->value.plain() == b->value.plain()) continue;
      diags
          .report(DiagKind::HostSettingConflict, a->value.range.valid() ? a->value.range : n.name_range(), first.id,
                  n.id, host, "annotations")
          .label(fmt::format("`{}` is `{}` here", key, a->value.plain()))
          .also(b->value.range.valid() ? b->value.range : first.name_range(),
                fmt::format("and `{}` for `{}`", b->value.plain(), first.id))
          .note("the annotations of the services exposed on one host are laid together on the host's one Ingress")
          .with_help("give the annotation the same value in both services, or set it in one of them only");
    }
  }
}

}  // namespace

void check_hosts(const graph::Graph& g, Diagnostics& diags) {
  // In the order written: the later of two services is the one reported.
  std::vector<const Node*> exposed;
  for (const auto& n : g.nodes)
    if (n.has_trait("exposable") && n.has_block("expose") && n.value("expose.host")) exposed.push_back(&n);
  std::stable_sort(exposed.begin(), exposed.end(), [](const Node* a, const Node* b) {
    const SourceRange &x = a->name_range(), &y = b->name_range();
    return std::tie(x.file, x.line, x.col) < std::tie(y.file, y.line, y.col);
  });
  std::map<std::string, const Node*> first_of;                       // host -> its first service
  std::map<std::pair<std::string, std::string>, const Node*> paths;  // (host, path) -> service
  for (const Node* n : exposed) {
    std::string host = text_of(*n, "expose.host"), path = text_of(*n, "expose.path");
    auto [it, fresh] = first_of.emplace(host, n);
    if (!fresh) compare(diags, *it->second, *n, host);
    auto [p, free] = paths.emplace(std::pair{host, path}, n);
    if (free) continue;
    diags.report(DiagKind::HostPathTaken, where(*n, "expose.path"), p->second->id, n->id, path, host)
        .label(fmt::format("{} routed here", shown(*n, "expose.path", path)))
        .also(where(*p->second, "expose.path"), fmt::format("and to `{}` here", p->second->id))
        .note("a path of a host's Ingress sends its requests to one Service")
        .with_help("give one of them another `path` (a longer prefix wins) or another host");
  }
}

}  // namespace platc::kubernetes
