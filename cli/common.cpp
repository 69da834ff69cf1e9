#include "cli/common.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include "compiler/diag/render.h"
#include "compiler/policy/policy.h"

namespace platc::cli {

void add_output_options(CLI::App* cmd, OutputOptions& opts, bool with_format) {
  if (with_format) {
    cmd->add_option_function<std::string>(
           "--format", [&opts](const std::string& v) { opts.format = v == "json" ? Format::Json : Format::Human; },
           "How to print diagnostics: human (default) or json")
        ->check(CLI::IsMember({"human", "json"}));
  }
  cmd->add_option("--color", opts.color, "Colour the human output: auto (default), always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
}

namespace {
bool use_color(const OutputOptions& opts) {
  if (opts.color == "always") return true;
  if (opts.color == "never") return false;
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color && *no_color) return false;
  const char* term = std::getenv("TERM");
  if (term && std::string_view(term) == "dumb") return false;
  return isatty(STDERR_FILENO) != 0;
}
}  // namespace

void print_diagnostics(const Diagnostics& diags, const SourceManager& sources, const OutputOptions& opts) {
  if (opts.format == Format::Json) {
    std::string out = render_json(diags, sources).dump(2);
    std::fwrite(out.data(), 1, out.size(), stdout);
    std::fputc('\n', stdout);
    return;
  }
  if (diags.empty()) return;
  bool color = use_color(opts);
  std::string out = render_human(diags, sources, HumanOptions{color, 20});
  std::string summary = summary_line(diags);
  if (!summary.empty()) {
    const char* label = diags.has_errors() ? "error" : "warning";
    std::string head = color ? fmt::format("\x1b[1;{}m{}\x1b[0m", diags.has_errors() ? 31 : 33, label) : label;
    out += fmt::format("\n{}: {}\n", head, summary);
  }
  std::fwrite(out.data(), 1, out.size(), stderr);
}

int exit_code_for(const driver::LoadResult& r) {
  if (r.io_error) return kUsageError;
  if (r.diags.has_errors()) return kCompileError;
  return kOk;
}

Compiled compile(SourceManager& sources, const std::vector<std::string>& paths, bool analyze) {
  Compiled c;
  c.load = driver::load_platform(sources, paths);
  c.diags = std::move(c.load.diags);
  c.load.diags = Diagnostics{};
  if (analyze && !c.load.io_error && !c.diags.has_errors()) {
    auto r = sema::analyze(c.load.platform, sources);
    c.model = std::move(r.model);
    c.diags.append(std::move(r.diags));
    c.analyzed = true;
  }
  c.diags.sort();
  return c;
}

int Compiled::exit_code() const {
  if (load.io_error) return kUsageError;
  if (diags.has_errors()) return kCompileError;
  return kOk;
}

int enforce_policies(const Compiled& c, const SourceManager& sources, const std::vector<std::string>& envs,
                     const std::string& fail_on, const OutputOptions& opts) {
  policy::Options popts;
  popts.environments = envs;
  auto r = policy::run(c.model, popts);
  auto rank = [](Severity s) { return s == Severity::Error ? 3 : s == Severity::Warning ? 2 : 1; };
  int threshold = rank(fail_on == "note" ? Severity::Note : fail_on == "warning" ? Severity::Warning : Severity::Error);
  Diagnostics blocking;
  for (auto& d : r.findings.items())
    if (rank(d.severity) >= threshold) blocking.add(std::move(d));
  if (blocking.empty()) return kOk;
  print_diagnostics(blocking, sources, opts);
  return kFindings;
}

}  // namespace platc::cli
