#include "compiler/graph/graph.h"

#include <algorithm>

namespace platc::graph {

std::string_view origin_name(Origin o) {
  switch (o) {
    case Origin::Default:
      return "default";
    case Origin::Base:
      return "base";
    case Origin::Overlay:
      return "overlay";
  }
  return "";
}

std::string_view edge_kind_name(EdgeKind k) {
  switch (k) {
    case EdgeKind::Reference:
      return "reference";
    case EdgeKind::Dependency:
      return "dependency";
    case EdgeKind::Network:
      return "network";
    case EdgeKind::SecretUse:
      return "secret";
  }
  return "";
}

const Attr* Node::written(std::string_view path) const {
  const Attr* a = attr(path);
  if (!a || a->history.empty() || a->history.back().origin == Origin::Default) return nullptr;
  return a;
}

const Attr* Node::attr(std::string_view path) const {
  auto it = attrs.find(path);
  return it == attrs.end() ? nullptr : &it->second;
}

const Value* Node::value(std::string_view path) const {
  const Attr* a = attr(path);
  return a ? &a->value : nullptr;
}

bool Node::has_block(std::string_view path) const {
  return std::find(blocks.begin(), blocks.end(), path) != blocks.end();
}

bool Node::has_trait(std::string_view t) const {
  return std::find(traits.begin(), traits.end(), t) != traits.end();
}

std::vector<std::pair<std::string, const Attr*>> Node::entries(std::string_view prefix) const {
  std::vector<std::pair<std::string, const Attr*>> out;
  std::string p = std::string(prefix) + ".";
  for (auto it = attrs.lower_bound(p); it != attrs.end() && it->first.starts_with(p); ++it) {
    std::string rest = it->first.substr(p.size());
    // A key may hold dots (`alb.ingress.kubernetes.io/scheme`); a nested block's attributes are
    // not entries.
    std::size_t dot = rest.find('.');
    if (dot == std::string::npos || !has_block(it->first.substr(0, p.size() + dot)))
      out.emplace_back(rest, &it->second);
  }
  return out;
}

const Node* Graph::find(std::string_view name_or_id) const {
  for (const auto& n : nodes)
    if (n.id == name_or_id) return &n;
  return nullptr;
}

const Node* Graph::platform_node() const {
  for (const auto& n : nodes) {
    if (n.kind == "platform") return &n;
    if (n.kind != "environment") break;
  }
  return nullptr;
}

const Node* Graph::environment_node() const {
  for (const auto& n : nodes) {
    if (n.kind == "environment" && n.name == environment) return &n;
    if (n.kind != "platform" && n.kind != "environment") break;
  }
  return nullptr;
}

EdgeIndex::EdgeIndex(const Graph& g) : out(g.nodes.size()), in(g.nodes.size()) {
  for (std::size_t k = 0; k < g.edges.size(); ++k) {
    out[g.edges[k].from].push_back(k);
    in[g.edges[k].to].push_back(k);
  }
}

}  // namespace platc::graph
