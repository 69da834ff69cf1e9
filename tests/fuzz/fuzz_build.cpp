// libFuzzer target, structure-aware: the fuzzer's bytes are choices for a generator of valid
// platforms (generator.h), which go through the check path of `platc check` (pipeline.h) and
// then through every backend that applies, for every target, as `platc build` drives them
// (cli/cmd_build.cpp). It traps on what would be a defect of platc:
//   - a crash, a leak, undefined behaviour (the sanitizers);
//   - an error from a backend's generate() after check() passed (backend.h: a defect);
//   - an output path that is absolute, not normalised, has `..` or an empty part, or is written
//     twice (OutputTree::add refuses it, and the path is checked here again);
//   - output that differs between two runs of the whole pipeline on the same text.
// A generated platform that `check` rejects is counted, not trapped: it is a gap of the generator
// far more often than a bug of platc. The count is printed at exit, the smoke fails above 2%, and
// PLATC_FUZZ_STRICT=1 traps on it with the platform and its diagnostics, to find which.
// PLATC_FUZZ_PRINT=1 prints every generated platform, and the diagnostics of those that fail.
//
//   make fuzz      (or: build/fuzz/platc_fuzz_build -dict=tests/fuzz/plat.dict tests/fuzz/corpus/build)
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>

#include "backends/backend.h"
#include "backends/emit/output_tree.h"
#include "compiler/diag/render.h"
#include "compiler/graph/render.h"
#include "tests/fuzz/generator.h"
#include "tests/fuzz/pipeline.h"

namespace {

using namespace platc;

std::size_t g_runs = 0, g_invalid = 0;

// PLATC_FUZZ_PRINT=1: every generated platform on stderr, to read what an input becomes.
bool print() {
  static const bool on = [] {
    const char* s = std::getenv("PLATC_FUZZ_PRINT");
    return s && *s && std::string(s) != "0";
  }();
  return on;
}

bool strict() {
  static const bool on = [] {
    const char* s = std::getenv("PLATC_FUZZ_STRICT");
    return s && *s && std::string(s) != "0";
  }();
  return on;
}

[[noreturn]] void defect(const std::string& what, const std::string& platform) {
  std::fprintf(stderr, "fuzz_build: %s\n--- platform ---\n%s--- end ---\n", what.c_str(), platform.c_str());
  std::abort();
}

// Relative, normalised, inside the tree: what OutputTree::add promises, checked independently.
bool safe_path(const std::string& p) {
  if (p.empty() || p.front() == '/' || p.back() == '/' || p.find("//") != std::string::npos) return false;
  std::filesystem::path path(p);
  if (path.is_absolute() || path.lexically_normal().generic_string() != p) return false;
  for (const auto& part : path)
    if (part == ".." || part == ".") return false;
  return true;
}

// One output tree per target, as `platc build --target T` writes it: the graphs' JSON, then every
// backend that applies. The key is "<target>:<path>".
std::map<std::string, std::string> build_all(const fuzz::Checked& c, const std::string& text) {
  std::map<std::string, std::string> out;
  std::vector<std::string> targets = c.model.targets;
  if (targets.empty()) targets.push_back("");
  std::vector<const backends::Backend*> chosen;
  for (const auto* b : backends::registry())
    if (b->applies_to(c.model.targets)) chosen.push_back(b);
  for (const auto& target : targets) {
    emit::OutputTree tree;
    backends::Input in;
    in.source_name = [&c](const SourceRange& r) -> std::string {
      return r.valid() ? std::filesystem::path(c.sources.file(r.file).path).filename().string() : "";
    };
    for (const auto& env : c.model.environments)
      if (const graph::Graph* g = c.model.graph_for(env, target)) {
        in.environments.push_back(g);
        std::string path = "graph/" + env + ".json";
        if (auto err = tree.add(path, graph::to_json(*g, c.sources, c.load.platform.root).dump(2)))
          defect("graph JSON refused: " + *err, text);
      }
    for (const auto* b : chosen)
      for (auto producer : b->consumes()) in.products.emplace(std::string(producer), std::any{});
    Diagnostics diags;
    for (const auto* b : chosen) {
      std::vector<backends::File> files;
      b->generate(in, files, diags);
      for (auto& f : files) {
        if (!safe_path(f.path)) defect("unsafe output path `" + f.path + "` from " + std::string(b->name()), text);
        if (auto err = tree.add(f.path, std::move(f.content))) defect(std::string(b->name()) + ": " + *err, text);
      }
    }
    if (diags.has_errors())
      defect("a backend reported an error after check passed:\n" + render_human(diags, c.sources, {}), text);
    for (const auto& [path, content] : tree.files()) out.emplace(target + ":" + path, content);
  }
  return out;
}

void report() {
  std::fprintf(stderr, "fuzz_build: %zu platforms generated, %zu failed check (%.2f%%)\n", g_runs, g_invalid,
               g_runs ? 100.0 * double(g_invalid) / double(g_runs) : 0.0);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  std::atexit(report);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 4096) return -1;  // the generator reads far fewer choices than that
  std::string text = fuzz::generate_platform(data, size);
  ++g_runs;
  if (print()) std::fprintf(stderr, "--- generated platform ---\n%s", text.c_str());
  auto first = fuzz::check(text);
  volatile std::size_t sink = fuzz::render_all(*first);
  (void)sink;
  if (first->diags.has_errors()) {
    ++g_invalid;
    if (print()) std::fprintf(stderr, "%s", render_human(first->diags, first->sources, {}).c_str());
    if (strict())
      defect("the generated platform fails check:\n" + render_human(first->diags, first->sources, {}), text);
    return 0;
  }
  auto a = build_all(*first, text);
  // The whole pipeline again, from the text: sema and the backends must not depend on addresses,
  // hash order or the clock.
  auto second = fuzz::check(text);
  auto b = build_all(*second, text);
  if (a != b) {
    std::string diff;
    for (const auto& [path, content] : a) {
      auto it = b.find(path);
      if (it == b.end() || it->second != content) diff += "  " + path + "\n";
    }
    for (const auto& [path, content] : b)
      if (!a.count(path)) diff += "  " + path + " (second run only)\n";
    defect("output differs between two runs:\n" + diff, text);
  }
  return 0;
}

// The smoke (standalone_main.cpp): fail when the generator's platforms fail check too often.
extern "C" int platc_fuzz_smoke_summary() {
  report();
  return g_invalid * 50 > g_runs ? 1 : 0;
}
