// platc debug ast FILE: the AST as JSON. Hidden: for tests and for people working on platc.
#include <cstdio>

#include "cli/common.h"
#include "compiler/ast/dump.h"

namespace platc::cli {

Runner register_debug(CLI::App& app) {
  struct State {
    std::vector<std::string> paths;
    bool ranges = false;
    OutputOptions out;
  };
  auto s = std::make_shared<State>();
  auto* cmd = app.add_subcommand("debug-ast", "Print the AST of each file as JSON");
  cmd->group("");  // hidden from --help
  cmd->add_option("paths", s->paths, "Files or directories")->required();
  cmd->add_flag("--ranges", s->ranges, "Include source ranges");
  return [s]() {
    SourceManager sources;
    auto r = driver::load_platform(sources, s->paths);
    r.diags.sort();
    print_diagnostics(r.diags, sources, s->out);
    nlohmann::json all = nlohmann::json::array();
    for (const auto& f : r.platform.files) {
      auto j = ast::dump(f, s->ranges);
      j["file"] = sources.file(f.id).path;
      all.push_back(j);
    }
    std::string text = all.dump(2) + "\n";
    std::fwrite(text.data(), 1, text.size(), stdout);
    return exit_code_for(r);
  };
}

}  // namespace platc::cli
