// Probes: the `health` block as the kubelet's httpGet, grpc and tcpSocket probes, and the check
// of what each kind of probe takes.
#include "backends/kubernetes/probes.h"

#include <fmt/format.h>

#include <cctype>

namespace platc::kubernetes {

using emit::YamlNode;
using graph::Node;
using graph::Value;
using graph::ValueKind;

namespace {

constexpr const char* kProbes[] = {"startup", "liveness", "readiness"};

// The names the API server accepts in `httpHeaders` (IsHTTPHeaderName: `[-A-Za-z0-9]+`).
bool is_header_name(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-')) return false;
  return true;
}

std::string_view kind_title(ProbeKind k) {
  switch (k) {
    case ProbeKind::Grpc:
      return "gRPC";
    case ProbeKind::Tcp:
      return "TCP";
    default:
      return "HTTP";
  }
}

// Why the probes are of this kind, when the user did not say.
std::string default_note(const Node& n, ProbeKind k) {
  if (probe_kind_written(n)) return "";
  if (k == ProbeKind::Grpc)
    return "`health.probe` is unset, and the probes of a service with `protocol = grpc` are gRPC probes";
  return "`health.probe` is unset: the probes are HTTP probes";
}

SourceRange where_of(const Node& n, const graph::Attr& a) {
  return a.value.range.valid() ? a.value.range : n.name_range();
}

void check_probe_values(const Node& n, ProbeKind kind, Diagnostics& diags) {
  for (const char* probe : kProbes) {
    const graph::Attr* a = n.attr(std::string("health.") + probe);
    if (!a) continue;
    bool is_bool = a->value.kind == ValueKind::Bool;
    if (is_bool && !a->value.b) continue;  // `false`: off, whatever the kind
    bool http = kind == ProbeKind::Http;
    if (http == !is_bool) continue;
    std::string attr = std::string("health.") + probe;
    auto& d = diags.report(DiagKind::ProbeValueMismatch, where_of(n, *a), attr, is_bool ? "`true`" : "a path",
                           kind_title(kind), http ? "a path" : "`true`");
    d.label(http ? "an HTTP probe needs the path it GETs" : fmt::format("a {} probe has no path", kind_title(kind)));
    if (std::string why = default_note(n, kind); !why.empty()) d.note(why);
    d.with_help(
        http ? fmt::format("write the path, such as `{} = \"/healthz\"`, or set `probe = grpc` or `probe = tcp`", probe)
             : fmt::format("write `{} = true`, or set `probe = http` to GET the path", probe));
  }
}

void check_probe_settings(const Node& n, ProbeKind kind, Diagnostics& diags) {
  struct Setting {
    const char* attr;
    ProbeKind applies_to;
  };
  for (const auto& [attr, applies_to] :
       {Setting{"grpc_service", ProbeKind::Grpc}, Setting{"headers", ProbeKind::Http}}) {
    const graph::Attr* a = n.attr(std::string("health.") + attr);
    if (!a || kind == applies_to) continue;
    auto& d = diags.report(DiagKind::ProbeSettingMismatch, where_of(n, *a), std::string("health.") + attr,
                           kind_title(applies_to), kind_title(kind));
    d.label(fmt::format("only {} probes have it", kind_title(applies_to)));
    if (std::string why = default_note(n, kind); !why.empty()) d.note(why);
    d.with_help(fmt::format("remove `{}`, or set `probe = {}`", attr, probe_kind_word(applies_to)));
  }
}

void check_header_names(const Node& n, Diagnostics& diags) {
  const graph::Attr* a = n.attr("health.headers");
  if (!a || a->value.kind != ValueKind::Map) return;
  const Value& m = a->value;
  for (std::size_t k = 0; k < m.entries.size(); ++k) {
    const std::string& name = m.entries[k].first;
    if (is_header_name(name)) continue;
    SourceRange where = k < m.key_ranges.size() ? m.key_ranges[k] : where_of(n, *a);
    diags.report(DiagKind::InvalidKey, where, name, "HTTP header name")
        .label("letters, digits and `-` only")
        .note(
            "the probe's headers become `httpGet.httpHeaders`, whose names Kubernetes accepts as letters, digits "
            "and `-`, such as `X-Probe`");
  }
}

}  // namespace

ProbeKind probe_kind(const Node& n) {
  std::string word = Context::word_of(n, "health.probe");
  if (word.empty() && Context::word_of(n, "protocol") == "grpc") word = "grpc";
  return word == "grpc" ? ProbeKind::Grpc : word == "tcp" ? ProbeKind::Tcp : ProbeKind::Http;
}

bool probe_kind_written(const Node& n) {
  const graph::Attr* a = n.attr("health.probe");
  return a && a->value.range.valid();
}

std::string_view probe_kind_word(ProbeKind k) {
  switch (k) {
    case ProbeKind::Grpc:
      return "grpc";
    case ProbeKind::Tcp:
      return "tcp";
    default:
      return "http";
  }
}

bool probe_on(const Node& n, std::string_view path) {
  const Value* v = n.value(path);
  return v && (v->kind != ValueKind::Bool || v->b);
}

YamlNode probe_doc(const Context& ctx, const Workload& w, std::string_view path) {
  const Node& n = *w.node;
  YamlNode p = YamlNode::map();
  const Value* hp = n.value("health.port");
  std::string name = ctx.port_name_for(w, hp);
  auto port = [&]() {
    if (!name.empty()) return YamlNode::str(name);
    return YamlNode::integer(hp && hp->kind == ValueKind::Int ? hp->i : 0);
  };
  switch (probe_kind(n)) {
    case ProbeKind::Grpc: {
      // Kubernetes takes only a number here: a gRPC probe cannot name a port.
      std::int64_t number = hp && hp->kind == ValueKind::Int ? hp->i : w.ports.empty() ? 0 : w.ports.front().number;
      YamlNode& g = p.child("grpc");
      g.set("port", YamlNode::integer(number));
      if (n.value("health.grpc_service")) g.set("service", ctx.plain_of(n, "health.grpc_service"));
      break;
    }
    case ProbeKind::Tcp:
      p.child("tcpSocket").set("port", port());
      break;
    case ProbeKind::Http: {
      YamlNode& get = p.child("httpGet");
      get.set("path", ctx.plain_of(n, path));
      get.set("port", port());
      if (const Value* h = n.value("health.headers"); h && h->kind == ValueKind::Map && !h->entries.empty()) {
        YamlNode& hs = get.set("httpHeaders", YamlNode::seq());
        for (const auto& [key, v] : h->entries) {
          YamlNode& e = hs.push(YamlNode::map());
          e.set("name", key);
          e.set("value", v.kind == ValueKind::String ? v.plain() : number_text(v));
        }
      }
      break;
    }
  }
  auto dur = [&](const char* attr) { return Context::int_of(n, attr); };
  if (dur("health.initial_delay") > 0) p.set("initialDelaySeconds", YamlNode::integer(dur("health.initial_delay")));
  p.set("periodSeconds", YamlNode::integer(dur("health.period")));
  p.set("timeoutSeconds", YamlNode::integer(dur("health.timeout")));
  p.set("failureThreshold", YamlNode::integer(dur("health.failure_threshold")));
  return p;
}

void check_probes(const graph::Graph& g, Diagnostics& diags) {
  for (const auto& n : g.nodes) {
    if (!n.has_trait("workload") || !n.has_block("health")) continue;
    ProbeKind kind = probe_kind(n);
    check_probe_values(n, kind, diags);
    check_probe_settings(n, kind, diags);
    check_header_names(n, diags);
  }
}

}  // namespace platc::kubernetes
