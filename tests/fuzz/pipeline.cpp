#include "tests/fuzz/pipeline.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <tuple>

#include "backends/backend.h"
#include "backends/contract/cloud_names.h"
#include "compiler/diag/render.h"
#include "compiler/diag/render_sarif.h"

namespace platc::fuzz {
namespace {

// One scratch directory per process, under $TMPDIR: fuzzers run in parallel without sharing it.
const std::filesystem::path& scratch_dir() {
  static const std::filesystem::path dir = [] {
    const char* tmp = std::getenv("TMPDIR");
    std::string templ = std::string(tmp && *tmp ? tmp : "/tmp") + "/platc-fuzz-XXXXXX";
    if (!mkdtemp(templ.data())) {
      std::perror("platc fuzz: mkdtemp");
      std::abort();
    }
    std::atexit([] {
      std::error_code ec;
      std::filesystem::remove_all(scratch_dir(), ec);
    });
    return std::filesystem::path(templ);
  }();
  return dir;
}

void write_file(const std::filesystem::path& path, std::string_view text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  if (!out) {
    std::perror("platc fuzz: writing the scratch platform");
    std::abort();
  }
}

// cli/common.cpp, check_backends: the contract's check, then every backend that applies to the
// platform's targets, on every graph; the same finding in several graphs once.
void check_backends(const sema::Model& m, Diagnostics& all) {
  std::vector<const backends::Backend*> chosen;
  for (const auto* b : backends::registry())
    if (b->applies_to(m.targets)) chosen.push_back(b);
  std::set<std::tuple<std::string, std::string, FileId, std::uint32_t, std::uint32_t>> seen;
  for (const auto& g : m.graphs) {
    Diagnostics d;
    contract::check(g, d);
    for (const auto* b : chosen) b->check(g, d);
    for (auto& x : d.items()) {
      auto key = std::make_tuple(std::string(x.code()), x.message, x.primary.file, x.primary.line, x.primary.col);
      if (seen.insert(key).second) all.add(std::move(x));
    }
  }
}

SarifRule rule_info(std::string_view code) {
  SarifRule r;
  r.title = policy::title(code);
  r.summary = policy::summary(code);
  r.help = std::string(policy::explanation(code));
  r.category = "input";
  return r;
}

}  // namespace

std::unique_ptr<Checked> check(std::string_view text) {
  auto c = std::make_unique<Checked>();
  write_file(scratch_dir() / "platform.plat", text);
  c->load = driver::load_platform(c->sources, {scratch_dir().string()});
  c->diags = std::move(c->load.diags);
  c->load.diags = Diagnostics{};
  if (!c->load.io_error && !c->diags.has_errors()) {
    auto r = sema::analyze(c->load.platform, c->sources);
    c->model = std::move(r.model);
    c->diags.append(std::move(r.diags));
    c->analyzed = true;
    // As cli/common.cpp's compile: what looks like a secret is marked before anything reads the graphs.
    policy::mark_secrets(c->model);
  }
  if (c->analyzed && !c->diags.has_errors()) check_backends(c->model, c->diags);
  c->diags.sort();
  if (c->analyzed && !c->diags.has_errors()) {
    policy::Options opts;
    opts.environments = c->model.environments;
    opts.sources = &c->sources;
    opts.today = "2026-06-01";  // a fixed day: waivers expire the same way on every run
    c->policy = policy::run(c->model, opts);
    c->policies_run = true;
  }
  return c;
}

std::size_t render_all(const Checked& c) {
  Diagnostics all;
  for (const auto& d : c.diags.items()) all.add(d);
  for (const auto& d : c.policy.findings.items()) all.add(d);
  all.sort();
  std::size_t total = 0;
  for (const auto& d : all.items()) {
    total += render_human_one(d, c.sources, false).size();
    total += render_human_one(d, c.sources, true).size();
  }
  total += render_human(all, c.sources, HumanOptions{}).size();
  total += render_human(all, c.sources, HumanOptions{.color = true, .max_shown = 3}).size();
  total += render_json(all, c.sources).dump().size();
  std::vector<SarifSuppressed> suppressed;
  for (const auto& w : c.policy.waived) suppressed.push_back({&w.diag, w.waiver + ": " + w.reason});
  total += render_sarif(all, suppressed, c.sources, rule_info, "fuzz").dump().size();
  total += render_github(all, c.sources).size();
  total += summary_line(all).size();
  return total;
}

}  // namespace platc::fuzz
