// platc build: check, then write every artifact into one output tree, atomically.
#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "backends/emit/output_tree.h"
#include "backends/helm/helm.h"
#include "backends/kubernetes/kubernetes.h"
#include "cli/common.h"
#include "compiler/graph/render.h"

namespace platc::cli {
namespace {

// The backends that exist, for the chosen environments of one target. False on an error
// (printed); nothing is written then.
bool run_backends(emit::OutputTree& tree, const sema::Model& m, const SourceManager& sources,
                  const std::filesystem::path& root, const std::vector<std::string>& envs, const std::string& target) {
  kubernetes::Options kopts;
  kopts.source_name = [&](const SourceRange& r) -> std::string {
    if (!r.valid()) return "";
    const SourceFile& f = sources.file(r.file);
    std::filesystem::path rel = std::filesystem::path(f.path).lexically_relative(root.lexically_normal());
    return rel.empty() ? std::filesystem::path(f.path).filename().string() : rel.generic_string();
  };
  auto add = [&](const std::string& path, std::string content) {
    if (auto err = tree.add(path, std::move(content))) {
      std::fprintf(stderr, "error: %s\n", err->c_str());
      return false;
    }
    return true;
  };
  std::vector<helm::Environment> helm_envs;
  helm::Options hopts;
  for (const auto& env : envs) {
    const graph::Graph* g = m.graph_for(env, target);
    if (!g) continue;
    auto r = kubernetes::generate(*g, kopts);
    for (const auto& e : r.errors) std::fprintf(stderr, "error: kubernetes: %s\n", e.c_str());
    if (!r.errors.empty()) return false;
    for (const auto& f : r.files)
      if (!add(f.path, f.content)) return false;
    hopts.platform = g->platform;
    for (const auto& n : g->nodes)
      if (n.kind == "platform") {
        hopts.platform = n.name;
        hopts.source = kopts.source_name(n.where);
      }
    helm_envs.push_back({env, g->target, std::move(r.files)});
  }
  // The chart: one per platform, for the environments built (values-<environment>.yaml each).
  auto h = helm::generate(helm_envs, hopts);
  for (const auto& e : h.errors) std::fprintf(stderr, "error: %s\n", e.c_str());
  if (!h.errors.empty()) return false;
  for (auto& f : h.files)
    if (!add(f.path, std::move(f.content))) return false;
  return true;
}

}  // namespace

Runner register_build(CLI::App& app) {
  struct State {
    std::string dir = ".";
    std::string out = "build/platc";
    std::string env, target;
    bool all_envs = false;
    std::string fail_on = "error";
    OutputOptions opts;
  };
  auto s = std::make_shared<State>();
  auto* cmd = app.add_subcommand("build", "Check the platform and write its artifacts into --out, all or nothing");
  cmd->add_option("dir", s->dir, "The platform directory (default: .)");
  cmd->add_option("--out,-o", s->out, "Output directory (default: build/platc)");
  auto* env_opt = cmd->add_option("--env,-e", s->env, "Build one environment only (default: every environment)");
  cmd->add_flag("--all-envs", s->all_envs, "Build every environment (the default)")->excludes(env_opt);
  cmd->add_option("--target,-t", s->target, "The target cloud (default: the first in platform.targets)");
  cmd->add_option("--fail-on", s->fail_on,
                  "Refuse to build on policy findings of this severity or above (default: error)")
      ->check(CLI::IsMember({"error", "warning", "note"}));
  add_output_options(cmd, s->opts, true);
  return [s]() {
    SourceManager sources;
    auto c = compile(sources, {s->dir});
    print_diagnostics(c.diags, sources, s->opts);
    if (int code = c.exit_code(); code != kOk) {
      std::fprintf(stderr, "nothing written: the platform does not compile\n");
      return code;
    }
    emit::OutputTree tree;
    std::vector<std::string> envs = c.model.environments;
    if (!s->env.empty()) {
      if (std::find(envs.begin(), envs.end(), s->env) == envs.end()) {
        std::fprintf(stderr, "error: `%s` is not an environment of this platform; nothing written\n", s->env.c_str());
        return int(kUsageError);
      }
      envs = {s->env};
    }
    if (int code = enforce_policies(c, sources, envs, s->fail_on, s->opts); code != kOk) {
      std::fprintf(stderr, "nothing written: policy findings at or above --fail-on %s\n", s->fail_on.c_str());
      return code;
    }
    const auto& targets = c.model.targets;
    if (!s->target.empty() && std::find(targets.begin(), targets.end(), s->target) == targets.end()) {
      std::fprintf(stderr, "error: `%s` is not among platform.targets; nothing written\n", s->target.c_str());
      return int(kUsageError);
    }
    // The typed graph of every environment built, for the target built: graph/<environment>.json.
    for (const auto& env : envs) {
      const graph::Graph* g = c.model.graph_for(env, s->target);
      if (!g) continue;
      if (auto err =
              tree.add("graph/" + env + ".json", graph::to_json(*g, sources, c.load.platform.root).dump(2) + "\n")) {
        std::fprintf(stderr, "error: %s\n", err->c_str());
        return int(kUsageError);
      }
    }
    if (!run_backends(tree, c.model, sources, c.load.platform.root, envs, s->target)) {
      std::fprintf(stderr, "nothing written\n");
      return int(kCompileError);
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
