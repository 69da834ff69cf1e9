// platc check: parse and type-check (later: run the policies) and report.
#include <fmt/format.h>

#include "cli/common.h"

namespace platc::cli {

Runner register_check(CLI::App& app) {
  struct State {
    std::vector<std::string> paths;
    bool parse_only = false;
    OutputOptions out;
  };
  auto s = std::make_shared<State>();
  auto* cmd = app.add_subcommand("check", "Check a platform: syntax, names, types and units (policies as they land)");
  cmd->add_option("paths", s->paths, "Platform directories or .plat files (default: .)");
  cmd->add_flag("--parse-only", s->parse_only, "Stop after parsing: syntax errors only (fast, for editors and hooks)");
  add_output_options(cmd, s->out, true);
  return [s]() {
    SourceManager sources;
    auto c = compile(sources, s->paths, !s->parse_only);
    print_diagnostics(c.diags, sources, s->out);
    int code = c.exit_code();
    if (code == kOk && s->out.format == Format::Human && s->parse_only) {
      std::fprintf(stderr, "ok: %zu file%s parsed, no syntax errors\n", c.load.platform.files.size(),
                   c.load.platform.files.size() == 1 ? "" : "s");
    } else if (code == kOk && s->out.format == Format::Human) {
      const auto& g = c.model.graphs;
      std::size_t resources = g.empty() ? 0 : g.front().nodes.size();
      std::size_t envs = c.model.environments.size();
      std::fprintf(stderr, "ok: %zu file%s, %zu resource%s, %zu environment%s, no problems found\n",
                   c.load.platform.files.size(), c.load.platform.files.size() == 1 ? "" : "s", resources,
                   resources == 1 ? "" : "s", envs, envs == 1 ? "" : "s");
    }
    return code;
  };
}

}  // namespace platc::cli
