// platc build: check, then write every artifact into one output tree, atomically.
#include <fmt/format.h>

#include <cstdio>

#include "backends/emit/output_tree.h"
#include "cli/common.h"
#include "compiler/graph/decl_graph.h"

namespace platc::cli {

Runner register_build(CLI::App& app) {
  struct State {
    std::string dir = ".";
    std::string out = "build/platc";
    OutputOptions opts;
  };
  auto s = std::make_shared<State>();
  auto* cmd = app.add_subcommand("build", "Check the platform and write its artifacts into --out, all or nothing");
  cmd->add_option("dir", s->dir, "The platform directory (default: .)");
  cmd->add_option("--out,-o", s->out, "Output directory (default: build/platc)");
  add_output_options(cmd, s->opts, true);
  return [s]() {
    SourceManager sources;
    auto r = driver::load_platform(sources, {s->dir});
    r.diags.sort();
    print_diagnostics(r.diags, sources, s->opts);
    if (int code = exit_code_for(r); code != kOk) {
      std::fprintf(stderr, "nothing written: the platform does not compile\n");
      return code;
    }
    // The backends (Terraform, Kubernetes, Helm, GitHub Actions) land with their issues; until
    // then the build writes what the front end knows: the declaration graph.
    emit::OutputTree tree;
    auto g = graph::build_decl_graph(r.platform);
    if (auto err = tree.add("graph.json", graph::to_json(g, sources, r.platform.root).dump(2) + "\n")) {
      std::fprintf(stderr, "error: %s\n", err->c_str());
      return int(kUsageError);
    }
    if (auto err = emit::write_atomically(tree, s->out)) {
      std::fprintf(stderr, "error: %s\n", err->c_str());
      return int(kUsageError);
    }
    std::fprintf(stderr, "wrote %zu file%s to %s\n", tree.files().size(), tree.files().size() == 1 ? "" : "s",
                 s->out.c_str());
    return int(kOk);
  };
}

}  // namespace platc::cli
