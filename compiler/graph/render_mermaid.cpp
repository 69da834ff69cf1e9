// The graph as a Mermaid flowchart (GitHub and most wikis render it inline): the same content as
// the DOT picture, with Mermaid's shapes, classes for the colours and link styles per edge kind.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "compiler/graph/render.h"

namespace platc::graph {
namespace {

// Text inside a quoted Mermaid label. Mermaid's entity codes (`#quot;`) stand for characters
// that would end the label or be read as markup; line breaks become `<br/>`.
std::string text(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '"':
        out += "#quot;";
        break;
      case '#':
        out += "#35;";
        break;
      case '&':
        out += "#amp;";
        break;
      case '<':
        out += "#lt;";
        break;
      case '>':
        out += "#gt;";
        break;
      case '|':
        out += "#124;";
        break;
      case '`':
        out += "#96;";
        break;
      case '\n':
        out += "<br/>";
        break;
      case '\r':
        break;
      default:
        out += c;
    }
  }
  return out;
}

// Node IDs: the index keeps them unique and clear of Mermaid's keywords (`end`, `graph`).
std::string node_id(const Graph& g, std::size_t k) {
  std::string out = fmt::format("n{}_", k);
  for (char c : g.nodes[k].id) out += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return out;
}

std::pair<const char*, const char*> brackets(const Node& n) {
  const std::string& k = n.kind;
  if (k == "service" || k == "worker") return {"(\"", "\")"};
  if (k == "job") return {"[[\"", "\"]]"};
  if (k == "database" || k == "cache" || k == "bucket") return {"[(\"", "\")]"};
  if (k == "topic" || k == "queue") return {"[/\"", "\"/]"};
  if (k == "secret") return {"{{\"", "\"}}"};
  if (k == "alert") return {">\"", "\"]"};
  if (k == "dashboard") return {"[\\\"", "\"\\]"};
  switch (role_of(n)) {
    case Role::Workload:
      return {"(\"", "\")"};
    case Role::Data:
      return {"[(\"", "\")]"};
    case Role::Secret:
      return {"{{\"", "\"}}"};
    case Role::Observability:
      return {"[\\\"", "\"\\]"};
    case Role::Control:
      break;
  }
  return {"([\"", "\"])"};
}

// Class name and style per kind (and one muted class for the platform's own blocks).
std::string class_of(const Node& n) {
  static const char* known[] = {"service", "worker", "job",    "database", "cache",    "bucket",
                                "topic",   "queue",  "secret", "alert",    "dashboard"};
  for (const char* k : known)
    if (n.kind == k) return n.kind;
  switch (role_of(n)) {
    case Role::Workload:
      return "service";
    case Role::Data:
      return "database";
    case Role::Secret:
      return "secret";
    case Role::Observability:
      return "dashboard";
    case Role::Control:
      break;
  }
  return "muted";
}

const char* class_style(const std::string& c) {
  if (c == "service") return "fill:#dbeafe,stroke:#2563eb,color:#0f172a";
  if (c == "worker") return "fill:#e0e7ff,stroke:#4f46e5,color:#0f172a";
  if (c == "job") return "fill:#ede9fe,stroke:#7c3aed,color:#0f172a";
  if (c == "database") return "fill:#dcfce7,stroke:#16a34a,color:#0f172a";
  if (c == "cache") return "fill:#ccfbf1,stroke:#0d9488,color:#0f172a";
  if (c == "bucket") return "fill:#fef3c7,stroke:#d97706,color:#0f172a";
  if (c == "topic") return "fill:#fef9c3,stroke:#ca8a04,color:#0f172a";
  if (c == "queue") return "fill:#ffedd5,stroke:#ea580c,color:#0f172a";
  if (c == "secret") return "fill:#fee2e2,stroke:#dc2626,color:#0f172a";
  if (c == "alert") return "fill:#ffe4e6,stroke:#e11d48,color:#0f172a";
  if (c == "dashboard") return "fill:#f1f5f9,stroke:#64748b,color:#0f172a";
  if (c == "current") return "fill:#f8fafc,stroke:#334155,stroke-width:2px,color:#0f172a";
  return "fill:#f8fafc,stroke:#cbd5e1,color:#64748b";
}

const char* arrow(EdgeKind k) {
  switch (k) {
    case EdgeKind::Network:
      return "-->";
    case EdgeKind::SecretUse:
      return "-.->";
    case EdgeKind::Dependency:
      return "==>";
    case EdgeKind::Reference:
      return "-.->";
  }
  return "-->";
}

const char* link_style(EdgeKind k) {
  switch (k) {
    case EdgeKind::Network:
      return "stroke:#2563eb,stroke-width:1.5px";
    case EdgeKind::SecretUse:
      return "stroke:#dc2626,stroke-width:1.5px";
    case EdgeKind::Dependency:
      return "stroke:#111827,stroke-width:2.5px";
    case EdgeKind::Reference:
      return "stroke:#94a3b8,stroke-width:1px";
  }
  return "";
}

}  // namespace

std::string to_mermaid(const Graph& g) {
  // The title in YAML front matter: a double-quoted scalar.
  std::string title;
  for (char c : title_of(g)) {
    if (c == '"' || c == '\\') title += '\\';
    title += c;
  }
  std::string out = fmt::format("---\ntitle: \"{}\"\n---\nflowchart LR\n", title);

  std::vector<std::string> classes(g.nodes.size());
  static const Role order[] = {Role::Observability, Role::Workload, Role::Data, Role::Secret, Role::Control};
  for (Role r : order) {
    std::string body;
    for (std::size_t k = 0; k < g.nodes.size(); ++k) {
      const Node& n = g.nodes[k];
      if (role_of(n) != r) continue;
      bool current = n.kind == "environment" && n.name == g.environment;
      std::string label = fmt::format("<b>{}</b>", text(n.name.empty() ? n.kind : n.name));
      if (!n.name.empty()) label += fmt::format("<br/><i>{}</i>", text(n.kind));
      if (current) label += "<br/>(this graph)";
      for (const auto& line : summary_lines(n)) label += "<br/><small>" + text(line) + "</small>";
      auto [open, close] = brackets(n);
      body += fmt::format("    {}{}{}{}\n", node_id(g, k), open, label, close);
      classes[k] = current ? "current" : class_of(n);
    }
    if (body.empty()) continue;
    out += fmt::format("  subgraph cluster_{}[\"{}\"]\n", role_title(r), role_title(r));
    out += body + "  end\n";
  }

  std::vector<std::pair<EdgeKind, std::size_t>> links;
  for (std::size_t k = 0; k < g.edges.size();) {
    const Edge& e = g.edges[k];
    std::vector<std::string> lines;
    std::size_t j = k;
    for (; j < g.edges.size() && g.edges[j].from == e.from && g.edges[j].to == e.to && g.edges[j].kind == e.kind; ++j) {
      std::string one = edge_label(g.edges[j]);
      if (std::find(lines.begin(), lines.end(), one) == lines.end()) lines.push_back(one);
    }
    std::string label;
    for (const auto& l : lines) label += (label.empty() ? "" : "<br/>") + text(l);
    out += fmt::format("  {} {}|\"{}\"| {}\n", node_id(g, e.from), arrow(e.kind), label, node_id(g, e.to));
    links.emplace_back(e.kind, links.size());
    k = j;
  }

  // Colours: one class per kind present, then the link styles per edge kind.
  std::vector<std::string> used;
  for (const auto& c : classes)
    if (std::find(used.begin(), used.end(), c) == used.end()) used.push_back(c);
  for (const auto& c : used) {
    std::string members;
    for (std::size_t k = 0; k < g.nodes.size(); ++k)
      if (classes[k] == c) members += (members.empty() ? "" : ",") + node_id(g, k);
    out += fmt::format("  classDef {} {}\n  class {} {}\n", c, class_style(c), members, c);
  }
  for (EdgeKind kind : {EdgeKind::Network, EdgeKind::SecretUse, EdgeKind::Dependency, EdgeKind::Reference}) {
    std::string ids;
    for (const auto& [k, index] : links)
      if (k == kind) ids += (ids.empty() ? "" : ",") + std::to_string(index);
    if (!ids.empty()) out += fmt::format("  linkStyle {} {}\n", ids, link_style(kind));
  }
  return out;
}

}  // namespace platc::graph
