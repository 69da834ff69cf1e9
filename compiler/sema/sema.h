// Semantics: names, types, units and environment overlays. A loaded platform (ASTs) goes in;
// the typed resource graphs, one per (environment, target), and diagnostics come out.
#pragma once

#include <string>
#include <vector>

#include "compiler/diag/diagnostic.h"
#include "compiler/driver/load.h"
#include "compiler/graph/graph.h"
#include "compiler/sema/schema.h"

namespace platc::sema {

struct Model {
  Schemas schemas;
  std::string platform;                   // the platform block's name
  std::vector<std::string> environments;  // in declaration order; "default" when none is declared
  std::vector<std::string> targets;       // from platform.targets, in the order written
  std::vector<graph::Graph> graphs;       // environments in order, then targets in order

  // The graph of `environment` (and `target`, or the first target when empty); null if none.
  const graph::Graph* graph_for(const std::string& environment, const std::string& target = "") const;
};

struct SemaResult {
  Model model;
  Diagnostics diags;
};

// `sources` receives the stdlib schema files, so defaults have source lines to show.
SemaResult analyze(const driver::Platform& platform, SourceManager& sources);

}  // namespace platc::sema
