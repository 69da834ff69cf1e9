// What the renderings share: locations relative to the platform root, roles, node summaries,
// edge labels and titles.
#include <fmt/format.h>

#include "compiler/graph/render.h"

namespace platc::graph {
namespace {

// At most `max` code points of `s`, with an ellipsis when cut.
std::string shorten(const std::string& s, std::size_t max = 40) {
  std::size_t points = 0;
  for (std::size_t k = 0; k < s.size(); ++k) {
    if ((static_cast<unsigned char>(s[k]) & 0xC0) == 0x80) continue;
    if (points == max) return s.substr(0, k) + "…";
    ++points;
  }
  return s;
}

// A value as a picture shows it: strings without quotes, everything else as written.
std::string shown(const Value& v) {
  if (v.kind == ValueKind::String) return v.secret ? v.display() : shorten(v.plain());
  if (v.kind == ValueKind::List) {  // `[aws, gcp]` → `aws, gcp`
    std::string out;
    for (const auto& item : v.items) out += (out.empty() ? "" : ", ") + item.display();
    return shorten(out);
  }
  std::string out = v.display();
  if (v.kind == ValueKind::Range) {  // `250m .. 1` → `250m..1`: tighter in a box
    std::string tight;
    for (std::size_t k = 0; k < out.size(); ++k) {
      if (out.compare(k, 4, " .. ") == 0) {
        tight += "..";
        k += 3;
      } else {
        tight += out[k];
      }
    }
    out = tight;
  }
  return shorten(out);
}

struct Lines {
  const Node& n;
  std::vector<std::string> out;
  std::string get(std::string_view path) const {
    const Value* v = n.value(path);
    return v ? shown(*v) : "";
  }
  bool is_true(std::string_view path) const {
    const Value* v = n.value(path);
    return v && v->kind == ValueKind::Bool && v->b;
  }
  // One line of the parts that are set, joined with a middle dot.
  void add(std::initializer_list<std::string> parts) {
    std::string line;
    for (const auto& p : parts) {
      if (p.empty()) continue;
      if (!line.empty()) line += " · ";
      line += p;
    }
    if (!line.empty()) out.push_back(line);
  }
  std::string labelled(const char* label, std::string_view path) const {
    std::string v = get(path);
    return v.empty() ? "" : fmt::format("{} {}", label, v);
  }
  std::string flag(const char* label, std::string_view path) const { return is_true(path) ? label : ""; }
  // Like labelled(), but nothing when the value is `none`, zero or empty: `for 0s` says nothing.
  std::string unless_none(const char* label, std::string_view path) const {
    const Value* v = n.value(path);
    if (!v || (v->kind == ValueKind::Symbol && v->text == "none") || (v->kind == ValueKind::Duration && v->i == 0))
      return "";
    return labelled(label, path);
  }
  std::string replicas() const {
    if (n.has_block("autoscale") && n.value("autoscale.min") && n.value("autoscale.max"))
      return fmt::format("replicas {}..{}", get("autoscale.min"), get("autoscale.max"));
    return labelled("replicas", "replicas");
  }
  void resources() {
    std::string cpu = get("resources.cpu"), mem = get("resources.memory");
    add({cpu.empty() ? "" : "cpu " + cpu, mem.empty() ? "" : "mem " + mem});
  }
};

}  // namespace

std::string location_of(const SourceRange& r, const SourceManager& sources, const std::filesystem::path& root) {
  return Locations(sources, root)(r);
}

Locations::Locations(const SourceManager& sources, std::filesystem::path root)
    : sources_(sources), root_(std::filesystem::absolute(root)), names_(sources.size()) {}

std::string Locations::operator()(const SourceRange& r) {
  if (!r.valid()) return "";
  if (r.file >= names_.size()) names_.resize(r.file + 1);
  std::string& path = names_[r.file];
  if (path.empty()) {
    const SourceFile& f = sources_.file(r.file);
    path = f.path;
    if (!f.builtin) {
      std::error_code ec;
      auto rel = std::filesystem::relative(std::filesystem::absolute(f.path), root_, ec);
      if (!ec && !rel.empty() && *rel.begin() != "..") path = rel.generic_string();
    }
  }
  return fmt::format("{}:{}:{}", path, r.line, r.col);
}

Role role_of(const Node& n) {
  if (n.has_trait("workload") || n.kind == "service" || n.kind == "worker" || n.kind == "job") return Role::Workload;
  if (n.has_trait("secret") || n.kind == "secret") return Role::Secret;
  if (n.has_trait("stateful") || n.has_trait("reachable")) return Role::Data;
  if (n.kind == "alert" || n.kind == "dashboard") return Role::Observability;
  return Role::Control;
}

std::string_view role_title(Role r) {
  switch (r) {
    case Role::Workload:
      return "workloads";
    case Role::Data:
      return "data";
    case Role::Secret:
      return "secrets";
    case Role::Observability:
      return "observability";
    case Role::Control:
      return "platform";
  }
  return "";
}

std::vector<std::string> summary_lines(const Node& n) {
  Lines l{n, {}};
  const std::string& k = n.kind;
  if (k == "service" || k == "worker") {
    l.add({l.labelled("port", "port"), l.replicas()});
    l.resources();
    l.add({l.get("expose.host")});
  } else if (k == "job") {
    l.add({l.labelled("schedule", "schedule"), l.labelled("hook", "hook")});
    l.resources();
  } else if (k == "database" || k == "cache") {
    l.add({l.get("engine"), l.get("size")});
    l.add({l.labelled("storage", "storage"), l.flag("HA", "high_availability")});
  } else if (k == "topic") {
    l.add({l.labelled("partitions", "partitions"), l.labelled("retention", "retention")});
  } else if (k == "queue") {
    l.add({l.labelled("retention", "retention"), l.flag("fifo", "fifo")});
  } else if (k == "bucket") {
    l.add({l.flag("versioned", "versioning"), l.flag("public", "public")});
  } else if (k == "secret") {
    l.add({l.labelled("rotation", "rotation")});
  } else if (k == "alert") {
    l.add({l.get("severity"), l.unless_none("for", "for")});
  } else if (k == "dashboard") {
    l.add({l.get("title")});
  } else if (k == "budget") {
    l.add({l.labelled("monthly limit", "monthly_limit")});
  } else if (k == "environment") {
    l.add({l.get("domain")});
    l.add({l.unless_none("approval", "approval")});
  } else if (k == "platform") {
    l.add({l.get("targets"), l.get("region")});
  } else if (k == "pipeline") {
    l.add({l.get("deploy")});
  }
  return l.out;
}

std::string edge_label(const Edge& e) {
  std::string what = e.via;
  bool env = e.via.starts_with("env.");
  if (env) what = e.via.substr(4);
  switch (e.kind) {
    case EdgeKind::SecretUse:
      return what + " (secret)";
    case EdgeKind::Network:
      return e.output.empty() ? what : fmt::format("{} ({})", what, e.output);
    case EdgeKind::Dependency:
    case EdgeKind::Reference:
      return e.output.empty() ? e.via : fmt::format("{} ({})", e.via, e.output);
  }
  return what;
}

std::string title_of(const Graph& g) {
  std::string t = g.platform.empty() ? "platform" : g.platform;
  if (!g.environment.empty()) t += " · " + g.environment;
  if (!g.target.empty()) t += " · " + g.target;
  return t;
}

}  // namespace platc::graph
