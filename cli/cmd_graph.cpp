// platc graph: the typed resource graph of one (environment, target) as Graphviz DOT, Mermaid or
// the versioned JSON document of docs/graph.md.
#include <fmt/format.h>

#include <algorithm>
#include <cstdio>

#include "cli/common.h"
#include "compiler/graph/render.h"

namespace platc::cli {

Runner register_graph(CLI::App& app) {
  struct State {
    std::vector<std::string> paths;
    SelectionFlags sel;
    std::string format = "dot";
    OutputOptions out;
  };
  auto s = std::make_shared<State>();
  auto* cmd = app.add_subcommand("graph", "Print the typed resource graph as Graphviz DOT, Mermaid or JSON");
  cmd->add_option("paths", s->paths, "Platform directories or .plat files (default: .)");
  add_selection_options(cmd, s->sel, EnvDefault::First, "", true);
  cmd->add_option("--format", s->format, "dot (default), mermaid or json")
      ->check(CLI::IsMember({"dot", "mermaid", "json"}));
  add_output_options(cmd, s->out, false);
  return [s]() {
    SourceManager sources;
    auto c = compile(sources, s->paths);
    print_diagnostics(c.diags, sources, s->out);
    if (int code = c.exit_code(); code != kOk) return code;
    const auto& m = c.model;
    auto sel = select(m, s->sel, EnvDefault::First);
    if (!sel) return int(kUsageError);
    const graph::Graph* g = sel->environments.empty() ? nullptr : m.graph_for(sel->environments.front(), sel->target);
    if (!g) {
      std::fprintf(stderr, "error: the platform has no graph to print\n");
      return int(kUsageError);
    }
    std::string text;
    if (s->format == "json")
      text = graph::to_json_text(*g, sources, c.load.platform.root);
    else if (s->format == "mermaid")
      text = graph::to_mermaid(*g);
    else
      text = graph::to_dot(*g);
    std::fwrite(text.data(), 1, text.size(), stdout);
    return int(kOk);
  };
}

}  // namespace platc::cli
