// platc check: parse (later: type-check and run the policies) and report.
#include <fmt/format.h>

#include "cli/common.h"

namespace platc::cli {

Runner register_check(CLI::App& app) {
  struct State {
    std::vector<std::string> paths;
    OutputOptions out;
  };
  auto s = std::make_shared<State>();
  auto* cmd = app.add_subcommand("check", "Check a platform: syntax now; types and policies as they land");
  cmd->add_option("paths", s->paths, "Platform directories or .plat files (default: .)");
  add_output_options(cmd, s->out, true);
  return [s]() {
    SourceManager sources;
    auto r = driver::load_platform(sources, s->paths);
    r.diags.sort();
    print_diagnostics(r.diags, sources, s->out);
    int code = exit_code_for(r);
    if (code == kOk && s->out.format == Format::Human) {
      std::size_t blocks = 0;
      for (const auto& f : r.platform.files) blocks += f.items.size();
      std::fprintf(stderr, "ok: %zu file%s, %zu top-level item%s, no problems found\n", r.platform.files.size(),
                   r.platform.files.size() == 1 ? "" : "s", blocks, blocks == 1 ? "" : "s");
    }
    return code;
  };
}

}  // namespace platc::cli
