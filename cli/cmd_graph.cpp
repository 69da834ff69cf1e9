// platc graph: the platform's resources and the references between them.
#include <cstdio>

#include "cli/common.h"
#include "compiler/graph/decl_graph.h"

namespace platc::cli {

Runner register_graph(CLI::App& app) {
  struct State {
    std::vector<std::string> paths;
    std::string format = "dot";
    OutputOptions out;
  };
  auto s = std::make_shared<State>();
  auto* cmd = app.add_subcommand("graph", "Print the resource graph as Graphviz DOT, Mermaid or JSON");
  cmd->add_option("paths", s->paths, "Platform directories or .plat files (default: .)");
  cmd->add_option("--format", s->format, "dot (default), mermaid or json")
      ->check(CLI::IsMember({"dot", "mermaid", "json"}));
  add_output_options(cmd, s->out, false);
  return [s]() {
    SourceManager sources;
    auto r = driver::load_platform(sources, s->paths);
    r.diags.sort();
    print_diagnostics(r.diags, sources, s->out);
    if (int code = exit_code_for(r); code != kOk) return code;
    auto g = graph::build_decl_graph(r.platform);
    std::string text;
    if (s->format == "json")
      text = graph::to_json(g, sources, r.platform.root).dump(2) + "\n";
    else if (s->format == "mermaid")
      text = graph::to_mermaid(g);
    else
      text = graph::to_dot(
          g, r.platform.root.filename().string().empty() ? "platform" : r.platform.root.filename().string());
    std::fwrite(text.data(), 1, text.size(), stdout);
    return int(kOk);
  };
}

}  // namespace platc::cli
