// platc: the command line. Parses flags with CLI11, runs the pipeline, renders what the stages
// return and maps it to an exit code. This is the only place that prints.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <map>

#include "cli/common.h"

int main(int argc, char** argv) {
  using namespace platc::cli;
  CLI::App app{"platc: describe a platform once; get Terraform, Kubernetes, Helm and CI that agree.", "platc"};
  app.set_version_flag("--version", fmt::format("platc {}", PLATC_VERSION));
  app.require_subcommand(1);
  app.fallthrough(false);

  std::map<CLI::App*, Runner> runners;
  auto add = [&](Runner r) { runners[app.get_subcommands({}).back()] = std::move(r); };
  add(register_check(app));
  add(register_build(app));
  add(register_fmt(app));
  add(register_graph(app));
  add(register_explain(app));
  add(register_init(app));
  add(register_why(app));
  add(register_doc(app));
  add(register_backends(app));
  add(register_debug(app));

  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {
    return app.exit(e);  // --help, --version
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kUsageError;
  }
  for (auto& [cmd, run] : runners)
    if (cmd->parsed()) {
      try {
        return run();
      } catch (const std::exception& e) {
        std::fprintf(stderr, "error: %s\n", e.what());
        return kUsageError;
      }
    }
  return kUsageError;
}
