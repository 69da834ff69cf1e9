#include "compiler/ast/dump.h"

#include <fmt/format.h>

namespace platc::ast {
namespace {

using nlohmann::json;

struct Dumper {
  bool ranges;

  json range(const SourceRange& r) const {
    return fmt::format("{}:{}-{}:{}", r.line, r.col, r.end_line, r.end_col);
  }
  void at(json& j, const SourceRange& r) const {
    if (ranges) j["at"] = range(r);
  }
  json ident(const Ident& id) const {
    if (!ranges) return id.name;
    return json{{"name", id.name}, {"at", range(id.range)}};
  }
  json decimal(const Decimal& d) const { return json{{"mantissa", d.mantissa}, {"scale", d.scale}}; }

  json expr(const Expr& e) const {
    json j = std::visit([&](const auto& n) { return node(n); }, e.node);
    if (e.negated) j["negated"] = true;
    at(j, e.range);
    return j;
  }
  json node(const BoolLit& n) const { return json{{"bool", n.value}}; }
  json node(const NumberLit& n) const { return json{{"number", decimal(n.value)}}; }
  json node(const QuantityLit& n) const {
    json j{{"quantity", n.q.text}};
    if (n.q.bytes) j["bytes"] = *n.q.bytes;
    if (n.q.seconds) j["seconds"] = *n.q.seconds;
    if (n.q.millicores) j["millicores"] = *n.q.millicores;
    if (n.q.percent) j["percent"] = decimal(*n.q.percent);
    return j;
  }
  json node(const VersionLit& n) const { return json{{"version", n.text}}; }
  json node(const StringLit& n) const {
    json parts = json::array();
    for (const auto& p : n.parts) {
      if (p.expr) parts.push_back(json{{"interpolate", expr(*p.expr)}});
      else parts.push_back(p.text);
    }
    return json{{"string", parts}};
  }
  json node(const EngineLit& n) const { return json{{"engine", ident(n.engine)}, {"version", n.version}}; }
  json node(const RefExpr& n) const {
    json path = json::array();
    for (const auto& id : n.path) path.push_back(ident(id));
    return json{{"ref", path}};
  }
  json node(const CallExpr& n) const {
    json args = json::array();
    for (const auto& a : n.args) {
      json arg{{"value", expr(*a.value)}};
      if (a.name) arg["name"] = ident(*a.name);
      args.push_back(arg);
    }
    return json{{"call", ident(n.callee)}, {"args", args}};
  }
  json node(const ListExpr& n) const {
    json items = json::array();
    for (const auto& i : n.items) items.push_back(expr(*i));
    return json{{"list", items}};
  }
  json node(const MapExpr& n) const {
    json entries = json::array();
    for (const auto& e : n.entries) entries.push_back(json{{"key", ident(e.key)}, {"value", expr(*e.value)}});
    return json{{"map", entries}};
  }
  json node(const RangeExpr& n) const { return json{{"range", {expr(*n.low), expr(*n.high)}}}; }
  json node(const ChainExpr& n) const {
    json steps = json::array();
    for (const auto& s : n.steps) steps.push_back(expr(*s));
    return json{{"chain", steps}};
  }
  json node(const CompareExpr& n) const {
    return json{{"compare", compare_op_text(n.op)}, {"lhs", expr(*n.lhs)}, {"rhs", expr(*n.rhs)}};
  }
  json node(const ParenExpr& n) const { return json{{"paren", expr(*n.inner)}}; }
  json node(const ErrorExpr&) const { return json{{"error", true}}; }

  json members(const std::vector<Member>& ms) const {
    json out = json::array();
    for (const auto& m : ms) {
      if (auto* a = std::get_if<Attribute>(&m)) {
        json j{{"attribute", ident(a->key)}, {"value", expr(*a->value)}};
        at(j, a->range);
        out.push_back(j);
      } else if (auto* b = std::get_if<std::unique_ptr<Block>>(&m)) {
        out.push_back(block(**b));
      } else {
        const auto& o = *std::get<std::unique_ptr<Overlay>>(m);
        json envs = json::array();
        for (const auto& e : o.environments) envs.push_back(ident(e));
        json j{{"on", envs}, {"members", members(o.members)}};
        at(j, o.range);
        out.push_back(j);
      }
    }
    return out;
  }
  json block(const Block& b) const {
    json j{{"block", ident(b.kind)}, {"members", members(b.members)}};
    if (b.name) j["name"] = ident(*b.name);
    at(j, b.range);
    return j;
  }
};

}  // namespace

nlohmann::json dump(const File& file, bool ranges) {
  Dumper d{ranges};
  json items = json::array();
  for (const auto& t : file.items) {
    if (auto* i = std::get_if<Import>(&t)) {
      json j{{"import", i->target}, {"path", i->is_path}};
      if (i->alias) j["as"] = d.ident(*i->alias);
      d.at(j, i->range);
      items.push_back(j);
    } else {
      items.push_back(d.block(*std::get<std::unique_ptr<Block>>(t)));
    }
  }
  return json{{"items", items}};
}

nlohmann::json dump(const Expr& expr, bool ranges) { return Dumper{ranges}.expr(expr); }

}  // namespace platc::ast
