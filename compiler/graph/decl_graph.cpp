#include "compiler/graph/decl_graph.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <tuple>

namespace platc::graph {
namespace {

struct Collector {
  const std::map<std::string, std::size_t>& by_name;
  std::size_t from;
  std::vector<DeclEdge>& edges;

  void expr(const ast::Expr& e, const std::string& via) {
    std::visit([&](const auto& n) { node(n, via); }, e.node);
  }
  void node(const ast::RefExpr& r, const std::string& via) {
    auto it = by_name.find(r.path.front().name);
    if (it != by_name.end() && it->second != from) edges.push_back({from, it->second, via, r.dotted()});
  }
  void node(const ast::StringLit& s, const std::string& via) {
    for (const auto& p : s.parts)
      if (p.expr) expr(*p.expr, via);
  }
  void node(const ast::CallExpr& c, const std::string& via) {
    for (const auto& a : c.args) expr(*a.value, via);
  }
  void node(const ast::ListExpr& l, const std::string& via) {
    for (const auto& i : l.items) expr(*i, via);
  }
  void node(const ast::MapExpr& m, const std::string& via) {
    for (const auto& e : m.entries) expr(*e.value, via + "." + e.key.name);
  }
  void node(const ast::RangeExpr& r, const std::string& via) {
    expr(*r.low, via);
    expr(*r.high, via);
  }
  void node(const ast::ChainExpr& c, const std::string& via) {
    for (const auto& s : c.steps) expr(*s, via);
  }
  void node(const ast::CompareExpr& c, const std::string& via) {
    expr(*c.lhs, via);
    expr(*c.rhs, via);
  }
  void node(const ast::ParenExpr& p, const std::string& via) { expr(*p.inner, via); }
  template <typename T>
  void node(const T&, const std::string&) {}

  void members(const std::vector<ast::Member>& ms, const std::string& prefix) {
    for (const auto& m : ms) {
      if (auto* a = std::get_if<ast::Attribute>(&m)) {
        expr(*a->value, prefix + a->key.name);
      } else if (auto* b = std::get_if<std::unique_ptr<ast::Block>>(&m)) {
        members((*b)->members, prefix + (*b)->kind.name + ".");
      } else {
        members(std::get<std::unique_ptr<ast::Overlay>>(m)->members, prefix);
      }
    }
  }
};

std::string quote_dot(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// Shapes and colours per kind, so a person can tell data from workloads at a glance.
std::pair<const char*, const char*> dot_style(const std::string& kind) {
  if (kind == "service" || kind == "worker") return {"box", "#dbeafe"};
  if (kind == "job") return {"component", "#e0e7ff"};
  if (kind == "database" || kind == "cache" || kind == "bucket") return {"cylinder", "#dcfce7"};
  if (kind == "topic" || kind == "queue") return {"cds", "#fef9c3"};
  if (kind == "secret") return {"octagon", "#fee2e2"};
  if (kind == "environment") return {"tab", "#f3f4f6"};
  return {"ellipse", "#ffffff"};
}

std::string mermaid_id(const std::string& id) {
  std::string out;
  for (char c : id) out += (std::isalnum(static_cast<unsigned char>(c)) ? c : '_');
  return out;
}

}  // namespace

DeclGraph build_decl_graph(const driver::Platform& platform) {
  DeclGraph g;
  std::map<std::string, std::size_t> by_name;
  std::vector<const ast::Block*> blocks;
  for (const auto& f : platform.files) {
    for (const auto& item : f.items) {
      auto* b = std::get_if<std::unique_ptr<ast::Block>>(&item);
      if (!b) continue;
      DeclNode n;
      n.kind = (*b)->kind.name;
      n.name = (*b)->name ? (*b)->name->name : "";
      n.id = n.name.empty() ? n.kind : n.kind + "." + n.name;
      n.where = (*b)->range;
      if (!n.name.empty()) by_name.emplace(n.name, g.nodes.size());
      g.nodes.push_back(n);
      blocks.push_back(b->get());
    }
  }
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    Collector c{by_name, i, g.edges};
    c.members(blocks[i]->members, "");
  }
  std::sort(g.edges.begin(), g.edges.end(), [](const DeclEdge& a, const DeclEdge& b) {
    return std::tie(a.from, a.to, a.via) < std::tie(b.from, b.to, b.via);
  });
  g.edges.erase(std::unique(g.edges.begin(), g.edges.end(),
                            [](const DeclEdge& a, const DeclEdge& b) {
                              return a.from == b.from && a.to == b.to && a.via == b.via;
                            }),
                g.edges.end());
  return g;
}

std::string to_dot(const DeclGraph& g, const std::string& title) {
  std::string out = fmt::format("digraph {} {{\n", quote_dot(title));
  out += "  rankdir=LR;\n  node [fontname=\"Helvetica\", style=filled];\n  edge [fontname=\"Helvetica\", fontsize=10];\n";
  for (const auto& n : g.nodes) {
    auto [shape, fill] = dot_style(n.kind);
    std::string label = n.name.empty() ? n.kind : n.kind + "\\n" + n.name;
    out += fmt::format("  {} [label=\"{}\", shape={}, fillcolor=\"{}\"];\n", quote_dot(n.id), label, shape, fill);
  }
  for (const auto& e : g.edges)
    out += fmt::format("  {} -> {} [label={}];\n", quote_dot(g.nodes[e.from].id), quote_dot(g.nodes[e.to].id),
                       quote_dot(e.via));
  return out + "}\n";
}

std::string to_mermaid(const DeclGraph& g) {
  std::string out = "flowchart LR\n";
  for (const auto& n : g.nodes) {
    std::string label = n.name.empty() ? n.kind : n.kind + " " + n.name;
    out += fmt::format("  {}[\"{}\"]\n", mermaid_id(n.id), label);
  }
  for (const auto& e : g.edges)
    out += fmt::format("  {} -->|{}| {}\n", mermaid_id(g.nodes[e.from].id), e.via, mermaid_id(g.nodes[e.to].id));
  return out;
}

nlohmann::json to_json(const DeclGraph& g, const SourceManager& sources, const std::filesystem::path& root) {
  auto shown = [&](FileId id) {
    const SourceFile& f = sources.file(id);
    if (f.builtin) return f.path;
    std::filesystem::path rel = std::filesystem::path(f.path).lexically_relative(root.lexically_normal());
    return rel.empty() ? f.path : rel.generic_string();
  };
  using nlohmann::json;
  json nodes = json::array(), edges = json::array();
  for (const auto& n : g.nodes)
    nodes.push_back(json{{"id", n.id},
                         {"kind", n.kind},
                         {"name", n.name},
                         {"file", shown(n.where.file)},
                         {"line", n.where.line}});
  for (const auto& e : g.edges)
    edges.push_back(json{{"from", g.nodes[e.from].id}, {"to", g.nodes[e.to].id}, {"via", e.via}, {"reference", e.reference}});
  return json{{"version", 0}, {"stage", "declarations"}, {"nodes", nodes}, {"edges", edges}};
}

}  // namespace platc::graph
