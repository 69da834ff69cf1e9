// The declaration graph: every top-level block of a platform and the references between them,
// read from the AST alone. It is what `platc graph` shows until sema builds the typed resource
// graph (which will carry resolved attributes, environments and edge kinds on top of this).
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "compiler/driver/load.h"

namespace platc::graph {

struct DeclNode {
  std::string kind;
  std::string name;  // empty for unnamed singletons such as `pipeline`
  std::string id;    // "kind.name" or "kind": unique within the platform
  SourceRange where;
};

struct DeclEdge {
  std::size_t from, to;     // node indices
  std::string via;          // the attribute path that holds the reference, e.g. "env.DATABASE_URL"
  std::string reference;    // what was written: "main.url"
};

struct DeclGraph {
  std::vector<DeclNode> nodes;  // in declaration order (file order, then source order)
  std::vector<DeclEdge> edges;  // sorted by (from, to, via)
};

DeclGraph build_decl_graph(const driver::Platform& platform);

std::string to_dot(const DeclGraph& g, const std::string& title);
std::string to_mermaid(const DeclGraph& g);
// File paths in the JSON are relative to the platform's root, so the output does not depend on
// the directory platc was run from.
nlohmann::json to_json(const DeclGraph& g, const SourceManager& sources, const std::filesystem::path& root);

}  // namespace platc::graph
