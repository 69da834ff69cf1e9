// Renderings of the typed resource graph: the versioned JSON document that users' own tools read
// (docs/graph.md), Graphviz DOT and Mermaid pictures for people. All three are deterministic:
// nodes in the graph's order, edges in the graph's order, attributes by path.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "compiler/graph/graph.h"
#include "compiler/source/source.h"

namespace platc::graph {

// The version of the JSON document; bumped on any change a reader could notice.
inline constexpr int kGraphJsonVersion = 1;

// `file:line:col`, the file relative to the platform's root (stdlib files by their built-in
// name); empty for an invalid range.
std::string location_of(const SourceRange& r, const SourceManager& sources, const std::filesystem::path& root);

// The same for many ranges: each file's relative name is worked out once (it resolves the path
// on disk, a system call per component), not once per attribute of a large graph.
class Locations {
 public:
  Locations(const SourceManager& sources, std::filesystem::path root);
  std::string operator()(const SourceRange& r);

 private:
  const SourceManager& sources_;
  std::filesystem::path root_;
  std::vector<std::string> names_;  // by FileId; empty: not worked out yet
};

// A value as typed JSON: `{"type": "size", "bytes": 536870912}` … (docs/graph.md).
nlohmann::ordered_json value_to_json(const Value& v);

nlohmann::ordered_json to_json(const Graph& g, const SourceManager& sources, const std::filesystem::path& root);
// The same document as text, byte for byte `to_json(g, …).dump(2) + "\n"`, made one node and one
// edge at a time: the whole document's tree never exists (for 1,000 services it was larger than
// every other file of the environment together).
std::string to_json_text(const Graph& g, const SourceManager& sources, const std::filesystem::path& root);
std::string to_dot(const Graph& g);
std::string to_mermaid(const Graph& g);

// Shared by the pictures: how a node is grouped and drawn, and what an edge says.
enum class Role { Workload, Data, Secret, Observability, Control };
Role role_of(const Node& n);
std::string_view role_title(Role r);
// A few resolved attributes worth seeing in a picture: `port 8000`, `replicas 3..12`, `postgres 16 · large`.
std::vector<std::string> summary_lines(const Node& n);
// What flows along an edge: `DATABASE_URL (url)`, `OPENAI_API_KEY (secret)`, `dead_letter`, `rows`.
std::string edge_label(const Edge& e);
// The picture's title: `ohmycoins · production · aws`.
std::string title_of(const Graph& g);

}  // namespace platc::graph
