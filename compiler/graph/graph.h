// The typed resource graph: the only thing policies and backends see. One graph per
// (environment, target): overlays are merged, units normalised, references resolved, and every
// attribute value remembers where it came from (provenance).
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/graph/value.h"
#include "compiler/source/source.h"

namespace platc::graph {

enum class Origin { Default, Base, Overlay };
std::string_view origin_name(Origin o);

// One step of an attribute's history: the stdlib default, the base block, an overlay.
struct Provenance {
  Origin origin = Origin::Base;
  std::string environment;  // the overlay's environment; empty otherwise
  SourceRange range;        // the attribute as written (key through value); the schema for defaults
  // The value as written, shared by every graph (environment × target) it applies to: a history
  // holds each setting once, not once per graph (issue 14).
  std::shared_ptr<const Value> value;
  std::string target;  // the overlay's target cloud (`on gcp`); empty otherwise
  std::string from;    // the `config` block the value was included from (`include`); empty otherwise
};

struct Attr {
  Value value;                      // the winner: history.back().value
  std::vector<Provenance> history;  // oldest first: default, base, overlays in source order
};

struct Node {
  std::string kind;
  std::string name;        // empty for unnamed singletons (`pipeline`, `policy`)
  std::string id;          // "name", or the kind for unnamed singletons: unique within a platform
  SourceRange where;       // the block header
  SourceRange name_where;  // the block's name as written; invalid for unnamed singletons
  std::vector<std::string> traits;
  // Attribute path → attribute. Paths: "image", "autoscale.min", "env.DATABASE_URL",
  // "panel.freshness.expr". std::map: iteration order is the byte order of the paths.
  std::map<std::string, Attr, std::less<>> attrs;  // transparent: looked up by string_view
  // Nested blocks present after merging: "autoscale", "env", "panel.freshness".
  std::vector<std::string> blocks;

  const Attr* attr(std::string_view path) const;
  // The attribute as the platform wrote it (in a block or an overlay); nullptr when it is absent
  // or only the schema's default applies.
  const Attr* written(std::string_view path) const;
  const Value* value(std::string_view path) const;
  bool has_block(std::string_view path) const;
  bool has_trait(std::string_view t) const;
  // Where a diagnostic about the block's name points: the name, or the header when it has none.
  const SourceRange& name_range() const { return name_where.valid() ? name_where : where; }
  // Attributes below a prefix, e.g. entries("env") gives DATABASE_URL, REDIS_URL …
  std::vector<std::pair<std::string, const Attr*>> entries(std::string_view prefix) const;
};

enum class EdgeKind {
  Reference,   // names another resource: dashboards, alerts, pipelines
  Dependency,  // must exist first: ref-typed attributes such as `dead_letter`, `depends_on`
  Network,     // a workload talks to it: an env var holding its url/host/port
  SecretUse,   // a workload reads the secret
};
std::string_view edge_kind_name(EdgeKind k);

struct Edge {
  std::size_t from = 0, to = 0;  // node indices
  EdgeKind kind = EdgeKind::Reference;
  std::string via;     // the attribute path that holds the reference
  std::string output;  // the referenced output ("url"), empty for the resource itself
  SourceRange where;   // the reference as written
};

struct Graph {
  std::string platform;
  std::string environment;
  std::string target;       // aws | gcp | azure; empty when the platform names none
  std::vector<Node> nodes;  // kinds in a fixed order, then by name
  std::vector<Edge> edges;  // sorted by (from, to, kind, via)

  const Node* find(std::string_view name_or_id) const;
  // The platform block's node, and the node of the environment this graph is for; nullptr when
  // the platform has none. Both kinds sort first, so these stop after a few nodes.
  const Node* platform_node() const;
  const Node* environment_node() const;
  std::size_t index_of(const Node& n) const { return static_cast<std::size_t>(&n - nodes.data()); }
};

// The edges leaving and entering each node (indices into g.edges, in the graph's order), for
// code that asks once per node: scanning every edge each time is quadratic in the platform.
// Valid while the graph is unchanged.
struct EdgeIndex {
  explicit EdgeIndex(const Graph& g);
  std::vector<std::vector<std::size_t>> out, in;  // by node index
};

}  // namespace platc::graph
