// platc build: check, then let every chosen backend write its files into one output tree, atomically.
#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <set>
#include <tuple>

#include "backends/backend.h"
#include "backends/emit/output_tree.h"
#include "cli/common.h"
#include "compiler/graph/render.h"

namespace platc::cli {
namespace {

// The generated-by header names files relative to the platform directory.
std::function<std::string(const SourceRange&)> source_namer(const SourceManager& sources,
                                                            const std::filesystem::path& root) {
  return [&sources, root](const SourceRange& r) -> std::string {
    if (!r.valid()) return "";
    const SourceFile& f = sources.file(r.file);
    std::filesystem::path rel = std::filesystem::path(f.path).lexically_relative(root.lexically_normal());
    return rel.empty() ? std::filesystem::path(f.path).filename().string() : rel.generic_string();
  };
}

// Every chosen backend's files for the environments built, into `tree`. Diagnostics in `diags`.
void run_backends(emit::OutputTree& tree, const Compiled& c, const SourceManager& sources, const Selection& sel,
                  const std::vector<const backends::Backend*>& chosen, Diagnostics& diags) {
  backends::Input in;
  in.source_name = source_namer(sources, c.load.platform.root);
  for (const auto& env : sel.environments)
    if (const graph::Graph* g = c.model.graph_for(env, sel.target)) in.environments.push_back(g);
  if (in.environments.empty()) return;
  // Ask the producers of what the chosen backends are made from to keep it.
  for (const auto* b : chosen)
    for (auto producer : b->consumes()) in.products.emplace(std::string(producer), std::any{});
  for (const auto* b : chosen) b->prepare(in);
  // Backends made from another's objects (the chart) report the same notes: each once.
  Diagnostics reported;
  for (const auto* b : chosen) {
    std::vector<backends::File> files;
    b->generate(in, files, reported);
    for (auto& f : files)
      if (auto err = tree.add(f.path, std::move(f.content)))
        diags.report(DiagKind::OutputPathRefused, SourceRange{}, f.path, b->name(), *err);
  }
  std::set<std::tuple<std::string, std::string, FileId, std::uint32_t, std::uint32_t>> seen;
  for (auto& d : reported.items())
    if (seen.emplace(std::string(d.code()), d.message, d.primary.file, d.primary.line, d.primary.col).second)
      diags.add(std::move(d));
}

}  // namespace

Runner register_build(CLI::App& app) {
  struct State {
    std::string dir = ".";
    std::string out = "build/platc";
    SelectionFlags sel;
    std::string emit;
    std::string fail_on = "error";
    OutputOptions opts;
  };
  auto s = std::make_shared<State>();
  auto* cmd = app.add_subcommand("build", "Check the platform and write its artifacts into --out, all or nothing");
  cmd->add_option("dir", s->dir, "The platform directory (default: .)");
  cmd->add_option("--out,-o", s->out, "Output directory (default: build/platc)");
  add_selection_options(cmd, s->sel, EnvDefault::All, "Build", true);
  cmd->add_option("--emit", s->emit,
                  "Only these backends, comma-separated (default: every backend that applies; `platc backends` "
                  "lists them)");
  cmd->add_option("--fail-on", s->fail_on,
                  "Refuse to build on policy findings of this severity or above (default: error)")
      ->check(CLI::IsMember({"error", "warning", "note"}));
  add_output_options(cmd, s->opts, true);
  return [s]() {
    // An output that would swallow the platform (`--out .`, `..`, the platform directory or one
    // above it) is refused before anything is read or generated.
    if (auto why = emit::check_output_dir(s->out, {s->dir})) {
      std::fprintf(stderr, "error: %s\nnothing written\n", why->c_str());
      return int(kUsageError);
    }
    SourceManager sources;
    Compiled& c = keep_until_exit(compile(sources, {s->dir}));
    print_diagnostics(c.diags, sources, s->opts);
    if (int code = c.exit_code(); code != kOk) {
      std::fprintf(stderr, "nothing written: the platform does not compile\n");
      return code;
    }
    // Nothing after sema reads the syntax trees (the graphs hold copies of every value, the
    // diagnostics source ranges): their memory goes back before the backends need theirs.
    std::vector<ast::File>().swap(c.load.platform.files);
    // Nor may it hold a file the platform imports.
    std::vector<std::filesystem::path> read;
    for (FileId f = 0; f < sources.size(); ++f)
      if (!sources.file(f).builtin) read.emplace_back(sources.file(f).path);
    if (auto why = emit::check_output_dir(s->out, read)) {
      std::fprintf(stderr, "error: %s\nnothing written\n", why->c_str());
      return int(kUsageError);
    }
    auto sel = select(c.model, s->sel, EnvDefault::All);
    auto chosen = select_backends(s->emit, c.model.targets);
    if (!sel || !chosen) {
      std::fprintf(stderr, "nothing written\n");
      return int(kUsageError);
    }
    if (int code = enforce_policies(c, sources, sel->environments, s->fail_on, s->opts); code != kOk) {
      std::fprintf(stderr, "nothing written: policy findings at or above --fail-on %s\n", s->fail_on.c_str());
      return code;
    }
    // What the backends would refuse, found before anything is generated (as `platc check` does).
    if (Diagnostics d = check_backends(c.model, sel->environments, *chosen); !d.empty()) {
      print_diagnostics(d, sources, s->opts);
      if (d.has_errors()) {
        std::fprintf(stderr, "nothing written: the backends cannot write this platform\n");
        return int(kCompileError);
      }
    }
    // Every target was checked; only the graphs of the target built are generated from, and the
    // others' memory goes back before the backends need theirs.
    if (!sel->environments.empty())
      if (const graph::Graph* built = c.model.graph_for(sel->environments.front(), sel->target)) {
        std::string target = built->target;  // --target, or the first of platform.targets
        std::erase_if(c.model.graphs, [&](const graph::Graph& g) { return g.target != target; });
      }
    emit::OutputTree tree;
    Diagnostics diags;
    // The typed graph of every environment built, for the target built: graph/<environment>.json.
    for (const auto& env : sel->environments)
      if (const graph::Graph* g = c.model.graph_for(env, sel->target)) {
        std::string path = "graph/" + env + ".json";
        if (auto err = tree.add(path, graph::to_json_text(*g, sources, c.load.platform.root)))
          diags.report(DiagKind::OutputPathRefused, SourceRange{}, path, "graph", *err);
      }
    run_backends(tree, c, sources, *sel, *chosen, diags);
    if (!diags.empty()) {
      print_diagnostics(diags, sources, s->opts);
      if (diags.has_errors()) {
        std::fprintf(stderr, "nothing written\n");
        return int(kCompileError);
      }
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
