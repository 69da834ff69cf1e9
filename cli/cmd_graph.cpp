// platc graph: the typed resource graph of one (environment, target) as Graphviz DOT, Mermaid or
// the versioned JSON document of docs/graph.md.
#include <fmt/format.h>

#include <algorithm>
#include <cstdio>

#include "cli/common.h"
#include "compiler/graph/render.h"

namespace platc::cli {
namespace {

std::string listed(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "`" : ", `") + n + "`";
  return out;
}

// "error: no environment `x`; the environments are `a`, `b` (did you mean `a`?)"
int unknown(const char* what, const std::string& name, const std::vector<std::string>& choices) {
  auto best = closest_match(name, choices);
  if (choices.empty())
    std::fprintf(stderr, "error: no %s `%s`; the platform names none\n", what, name.c_str());
  else
    std::fprintf(stderr, "error: no %s `%s`; the %ss are %s%s\n", what, name.c_str(), what, listed(choices).c_str(),
                 best ? fmt::format(" (did you mean `{}`?)", *best).c_str() : "");
  return int(kUsageError);
}

}  // namespace

Runner register_graph(CLI::App& app) {
  struct State {
    std::vector<std::string> paths;
    std::string env, target;
    std::string format = "dot";
    OutputOptions out;
  };
  auto s = std::make_shared<State>();
  auto* cmd = app.add_subcommand("graph", "Print the typed resource graph as Graphviz DOT, Mermaid or JSON");
  cmd->add_option("paths", s->paths, "Platform directories or .plat files (default: .)");
  cmd->add_option("--env,-e", s->env, "The environment (default: the first one declared)");
  cmd->add_option("--target,-t", s->target, "The target cloud (default: the first in platform.targets)");
  cmd->add_option("--format", s->format, "dot (default), mermaid or json")
      ->check(CLI::IsMember({"dot", "mermaid", "json"}));
  add_output_options(cmd, s->out, false);
  return [s]() {
    SourceManager sources;
    auto c = compile(sources, s->paths);
    print_diagnostics(c.diags, sources, s->out);
    if (int code = c.exit_code(); code != kOk) return code;
    const auto& m = c.model;
    std::string env = s->env.empty() && !m.environments.empty() ? m.environments.front() : s->env;
    if (std::find(m.environments.begin(), m.environments.end(), env) == m.environments.end())
      return unknown("environment", env, m.environments);
    if (!s->target.empty() && std::find(m.targets.begin(), m.targets.end(), s->target) == m.targets.end())
      return unknown("target", s->target, m.targets);
    const graph::Graph* g = m.graph_for(env, s->target);
    if (!g) {
      std::fprintf(stderr, "error: no graph for environment `%s`\n", env.c_str());
      return int(kUsageError);
    }
    std::string text;
    if (s->format == "json")
      text = graph::to_json(*g, sources, c.load.platform.root).dump(2) + "\n";
    else if (s->format == "mermaid")
      text = graph::to_mermaid(*g);
    else
      text = graph::to_dot(*g);
    std::fwrite(text.data(), 1, text.size(), stdout);
    return int(kOk);
  };
}

}  // namespace platc::cli
