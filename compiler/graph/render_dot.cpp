// The graph as Graphviz DOT, for `platc graph | dot -Tsvg > graph.svg`: left to right from the
// observers (alerts, dashboards) through the workloads to the data and secrets they use; one
// cluster per role; kinds shaped and coloured; edges styled by kind and labelled with what flows.
#include <fmt/format.h>

#include <algorithm>

#include "compiler/graph/render.h"

namespace platc::graph {
namespace {

// A DOT quoted string (IDs, plain labels). Graphviz reads `\n` `\l` `\N` … inside labels as
// escapes, so a literal backslash must be doubled; line breaks become centred `\n`.
std::string quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    if (c == '\r') continue;
    out += c;
  }
  return out + "\"";
}

// Text inside an HTML-like label.
std::string html(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
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

struct Style {
  const char* shape;
  const char* fill;
  const char* border;
  const char* extra = "";  // more style words: "rounded"
};

Style style_of(const Node& n) {
  const std::string& k = n.kind;
  if (k == "service") return {"box", "#dbeafe", "#2563eb", "rounded,"};
  if (k == "worker") return {"box", "#e0e7ff", "#4f46e5", "rounded,"};
  if (k == "job") return {"component", "#ede9fe", "#7c3aed"};
  if (k == "database") return {"cylinder", "#dcfce7", "#16a34a"};
  if (k == "cache") return {"cylinder", "#ccfbf1", "#0d9488"};
  if (k == "bucket") return {"folder", "#fef3c7", "#d97706"};
  if (k == "topic") return {"cds", "#fef9c3", "#ca8a04"};
  if (k == "queue") return {"parallelogram", "#ffedd5", "#ea580c"};
  if (k == "secret") return {"octagon", "#fee2e2", "#dc2626"};
  if (k == "alert") return {"invhouse", "#ffe4e6", "#e11d48"};
  if (k == "dashboard") return {"tab", "#f1f5f9", "#64748b"};
  switch (role_of(n)) {
    case Role::Workload:
      return {"box", "#dbeafe", "#2563eb", "rounded,"};
    case Role::Data:
      return {"cylinder", "#dcfce7", "#16a34a"};
    case Role::Secret:
      return {"octagon", "#fee2e2", "#dc2626"};
    case Role::Observability:
      return {"tab", "#f1f5f9", "#64748b"};
    case Role::Control:
      break;
  }
  return {"note", "#f8fafc", "#cbd5e1"};  // platform, environment, pipeline, policy, budget: muted
}

const char* edge_attrs(EdgeKind k) {
  switch (k) {
    case EdgeKind::Network:
      return "color=\"#2563eb\", fontcolor=\"#1e40af\", penwidth=1.4";
    case EdgeKind::SecretUse:
      return "style=dashed, color=\"#dc2626\", fontcolor=\"#b91c1c\", penwidth=1.2";
    case EdgeKind::Dependency:
      return "style=bold, color=\"#334155\", fontcolor=\"#1e293b\", penwidth=1.6";
    case EdgeKind::Reference:
      return "style=dotted, color=\"#94a3b8\", fontcolor=\"#64748b\", arrowhead=vee";
  }
  return "";
}

std::string node_line(const Node& n, const Graph& g) {
  Style st = style_of(n);
  bool muted = role_of(n) == Role::Control;
  bool current = n.kind == "environment" && n.name == g.environment;
  std::string name = n.name.empty() ? n.kind : n.name;
  std::string label = fmt::format("<b>{}</b>", html(name));
  if (!n.name.empty())
    label +=
        fmt::format("<br/><font point-size=\"{}\" color=\"#475569\"><i>{}</i></font>", muted ? 8 : 9, html(n.kind));
  if (current) label += "<br/><font point-size=\"8\" color=\"#475569\">(this graph)</font>";
  for (const auto& line : summary_lines(n)) label += fmt::format("<br/><font point-size=\"8\">{}</font>", html(line));
  std::string attrs = fmt::format("shape={}, style=\"{}filled\", fillcolor=\"{}\", color=\"{}\"", st.shape, st.extra,
                                  st.fill, current ? "#334155" : st.border);
  if (muted)
    attrs +=
        fmt::format(", fontsize=9, fontcolor=\"{}\", penwidth={}", current ? "#0f172a" : "#64748b", current ? 2 : 1);
  return fmt::format("    {} [{}, label=<{}>];\n", quote(n.id), attrs, label);
}

}  // namespace

std::string to_dot(const Graph& g) {
  std::string out = fmt::format("// {} (platc graph)\n", title_of(g));
  out += fmt::format("digraph {} {{\n", quote(g.platform.empty() ? "platform" : g.platform));
  std::string legend =
      "<font color=\"#2563eb\">── network</font>    <font color=\"#dc2626\">- - secret</font>    "
      "<b>━━ dependency</b>    <font color=\"#64748b\">··· reference</font>";
  out += fmt::format(
      "  graph [rankdir=LR, fontname=\"Helvetica\", fontsize=16, labelloc=t, labeljust=l, nodesep=0.3, "
      "ranksep=0.8, pad=0.3, newrank=true,\n         label=<<b>{}</b><br/><font point-size=\"10\">{}</font>>];\n",
      html(title_of(g)), legend);
  out += "  node [fontname=\"Helvetica\", fontsize=11, margin=\"0.15,0.06\"];\n";
  out += "  edge [fontname=\"Helvetica\", fontsize=9, arrowsize=0.7];\n";

  // Observers first, so that left to right reads: who watches → who runs → what they use.
  std::vector<bool> linked(g.nodes.size(), false);
  for (const auto& e : g.edges) linked[e.from] = linked[e.to] = true;
  static const Role order[] = {Role::Observability, Role::Workload, Role::Data, Role::Secret, Role::Control};
  for (Role r : order) {
    std::string body;
    std::vector<std::size_t> alone;
    for (std::size_t k = 0; k < g.nodes.size(); ++k) {
      if (role_of(g.nodes[k]) != r) continue;
      body += node_line(g.nodes[k], g);
      if (!linked[k]) alone.push_back(k);
    }
    if (body.empty()) continue;
    // Nodes without edges (alerts whose expressions name resources by their compile-time names)
    // would all share one rank, a tall column; invisible edges lay them out in rows instead.
    if (alone.size() >= 4) {
      std::size_t cols = 1;
      while (cols * cols < alone.size()) ++cols;
      for (std::size_t k = 0; k + 1 < alone.size(); ++k)
        if ((k + 1) % cols != 0)
          body += fmt::format("    {} -> {} [style=invis];\n", quote(g.nodes[alone[k]].id),
                              quote(g.nodes[alone[k + 1]].id));
    }
    out += fmt::format(
        "  subgraph {} {{\n    label=<<font point-size=\"10\" color=\"#64748b\">{}</font>>; style=\"rounded,filled\"; "
        "fillcolor=\"#fcfcfd\"; color=\"#e2e8f0\";\n",
        quote("cluster_" + std::string(role_title(r))), role_title(r));
    out += body + "  }\n";
  }

  // Parallel edges of one kind (an alert naming a service twice) become one, its label every path.
  for (std::size_t k = 0; k < g.edges.size();) {
    const Edge& e = g.edges[k];
    std::vector<std::string> lines;
    std::size_t j = k;
    for (; j < g.edges.size() && g.edges[j].from == e.from && g.edges[j].to == e.to && g.edges[j].kind == e.kind; ++j) {
      std::string one = edge_label(g.edges[j]);
      if (std::find(lines.begin(), lines.end(), one) == lines.end()) lines.push_back(one);
    }
    std::string label;
    for (const auto& l : lines) label += (label.empty() ? "" : "\n") + l;
    out += fmt::format("  {} -> {} [label={}, {}];\n", quote(g.nodes[e.from].id), quote(g.nodes[e.to].id), quote(label),
                       edge_attrs(e.kind));
    k = j;
  }
  return out + "}\n";
}

}  // namespace platc::graph
