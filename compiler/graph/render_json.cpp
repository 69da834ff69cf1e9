// The graph as the versioned JSON document of docs/graph.md. Keys appear in a fixed order
// (ordered_json), attributes by path, so the same platform always gives the same bytes.
#include "compiler/graph/render.h"

namespace platc::graph {
namespace {

using json = nlohmann::ordered_json;

json decimal(const Decimal& d) {
  if (d.is_integer()) return d.mantissa;
  return d.to_double();
}

json or_null(const std::string& s) {
  return s.empty() ? json(nullptr) : json(s);
}

json named(const std::vector<std::pair<std::string, Value>>& entries) {
  json out = json::object();
  for (const auto& [k, v] : entries) out[k] = value_to_json(v);
  return out;
}

json list(const std::vector<Value>& items) {
  json out = json::array();
  for (const auto& v : items) out.push_back(value_to_json(v));
  return out;
}

}  // namespace

json value_to_json(const Value& v) {
  // What looks like a secret (policy::mark_secrets) is not copied here: the graph JSON is an
  // output file, read by tools and committed with the rest.
  if (v.secret) return {{"type", "redacted"}};
  switch (v.kind) {
    case ValueKind::Bool:
      return {{"type", "bool"}, {"value", v.b}};
    case ValueKind::Int:
      return {{"type", "int"}, {"value", v.i}};
    case ValueKind::Number:
      return {{"type", "number"}, {"value", decimal(v.dec)}};
    case ValueKind::Size:
      return {{"type", "size"}, {"bytes", v.i}};
    case ValueKind::Duration:
      return {{"type", "duration"}, {"seconds", v.i}};
    case ValueKind::Cpu:
      return {{"type", "cpu"}, {"millicores", v.i}};
    case ValueKind::Percent:
      return {{"type", "percent"}, {"value", decimal(v.dec)}};
    case ValueKind::String: {
      json out = {{"type", "string"}, {"value", v.plain()}};
      if (!v.is_plain_string()) {
        json pieces = json::array();
        for (const auto& p : v.pieces) {
          if (p.ref_resource.empty())
            pieces.push_back({{"text", p.text}});
          else
            pieces.push_back({{"resource", p.ref_resource}, {"output", p.ref_output}});
        }
        out["pieces"] = pieces;
      }
      return out;
    }
    case ValueKind::Symbol:
      return {{"type", "symbol"}, {"value", v.text}};
    case ValueKind::Engine:
      return {{"type", "engine"}, {"engine", v.text}, {"version", or_null(v.text2)}};
    case ValueKind::Ref:
      return {{"type", "ref"}, {"resource", v.text}, {"output", or_null(v.text2)}, {"kind", or_null(v.target_kind)}};
    case ValueKind::List:
      return {{"type", "list"}, {"items", list(v.items)}};
    case ValueKind::Map:
      return {{"type", "map"}, {"entries", named(v.entries)}};
    case ValueKind::Range:
      return {{"type", "range"},
              {"low", v.items.size() == 2 ? value_to_json(v.items[0]) : json(nullptr)},
              {"high", v.items.size() == 2 ? value_to_json(v.items[1]) : json(nullptr)}};
    case ValueKind::Call:
      return {{"type", "call"}, {"callee", v.text}, {"args", list(v.items)}, {"named", named(v.entries)}};
    case ValueKind::Chain:
      return {{"type", "chain"}, {"items", list(v.items)}};
    case ValueKind::Compare:
      return {{"type", "compare"},
              {"operator", v.text},
              {"lhs", v.items.size() == 2 ? value_to_json(v.items[0]) : json(nullptr)},
              {"rhs", v.items.size() == 2 ? value_to_json(v.items[1]) : json(nullptr)}};
  }
  return nullptr;
}

namespace {

json node_json(const Node& n, Locations& location_of) {
  json attrs = json::object();
  for (const auto& [path, a] : n.attrs) {
    json one = {{"value", value_to_json(a.value)}, {"display", a.value.display()}};
    const Provenance* p = a.history.empty() ? nullptr : &a.history.back();
    one["origin"] = origin_name(p ? p->origin : Origin::Base);
    one["environment"] = p ? or_null(p->environment) : json(nullptr);
    if (p && !p->target.empty()) one["target"] = p->target;  // only for `on <target>` overlays
    one["location"] = p ? or_null(location_of(p->range)) : json(nullptr);
    attrs[path] = std::move(one);
  }
  return {{"id", n.id},
          {"kind", n.kind},
          {"name", or_null(n.name)},
          {"traits", n.traits},
          {"location", or_null(location_of(n.where))},
          {"blocks", n.blocks},
          {"attributes", std::move(attrs)}};
}

json edge_json(const Graph& g, const Edge& e, Locations& location_of) {
  return {{"from", g.nodes[e.from].id},     {"to", g.nodes[e.to].id},
          {"kind", edge_kind_name(e.kind)}, {"via", e.via},
          {"output", or_null(e.output)},    {"location", or_null(location_of(e.where))}};
}

// `item` as dump(2) prints it `depth` levels down: its own lines indented by 2 * depth more.
// Dumped strings hold no raw line break (JSON escapes it), so every '\n' is a line of the layout.
void append_indented(std::string& out, const json& item, int depth) {
  std::string text = item.dump(2);
  std::string pad = "\n" + std::string(2 * depth, ' ');
  std::size_t start = 0;
  for (std::size_t nl = text.find('\n'); nl != std::string::npos; nl = text.find('\n', start)) {
    out.append(text, start, nl - start);
    out += pad;
    start = nl + 1;
  }
  out.append(text, start, std::string::npos);
}

// `"key": [` items `]` as dump(2) prints it inside the top-level object.
template <class Items, class Make>
void append_array(std::string& out, std::string_view key, const Items& items, Make make) {
  out += "  " + json(key).dump() + ": ";
  if (items.empty()) {
    out += "[]";
    return;
  }
  out += "[";
  bool first = true;
  for (const auto& item : items) {
    out += first ? "\n    " : ",\n    ";
    first = false;
    append_indented(out, make(item), 2);
  }
  out += "\n  ]";
}

}  // namespace

json to_json(const Graph& g, const SourceManager& sources, const std::filesystem::path& root) {
  Locations location_of(sources, root);
  json nodes = json::array();
  for (const auto& n : g.nodes) nodes.push_back(node_json(n, location_of));
  json edges = json::array();
  for (const auto& e : g.edges) edges.push_back(edge_json(g, e, location_of));
  return {{"schema", "platc_graph"},      {"version", kGraphJsonVersion}, {"platform", g.platform},
          {"environment", g.environment}, {"target", or_null(g.target)},  {"nodes", std::move(nodes)},
          {"edges", std::move(edges)}};
}

std::string to_json_text(const Graph& g, const SourceManager& sources, const std::filesystem::path& root) {
  Locations location_of(sources, root);
  std::string out = "{\n";
  auto scalar = [&](std::string_view key, const json& v) { out += "  " + json(key).dump() + ": " + v.dump() + ",\n"; };
  scalar("schema", "platc_graph");
  scalar("version", kGraphJsonVersion);
  scalar("platform", g.platform);
  scalar("environment", g.environment);
  scalar("target", or_null(g.target));
  append_array(out, "nodes", g.nodes, [&](const Node& n) { return node_json(n, location_of); });
  out += ",\n";
  append_array(out, "edges", g.edges, [&](const Edge& e) { return edge_json(g, e, location_of); });
  out += "\n}\n";
  return out;
}

}  // namespace platc::graph
