#include "cli/common.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <tuple>

#include "backends/contract/cloud_names.h"
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

Compiled& keep_until_exit(Compiled&& c) {
  // A raw pointer, not a smart one: a static's destructor would run (and free) before exit.
  static Compiled* kept = nullptr;
  delete kept;  // a second compile in one process (tests) frees the first
  kept = new Compiled(std::move(c));
  return *kept;
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
    // Before any command reads the graphs: what looks like a secret is never written as text.
    policy::mark_secrets(c.model);
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
  popts.sources = &sources;
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

namespace {

std::string listed(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "`" : ", `") + n + "`";
  return out;
}

void unknown(const char* what, const std::string& name, const std::vector<std::string>& choices) {
  auto best = closest_match(name, choices);
  if (choices.empty())
    std::fprintf(stderr, "error: no %s `%s`; the platform names none\n", what, name.c_str());
  else
    std::fprintf(stderr, "error: no %s `%s`; the %ss are %s%s\n", what, name.c_str(), what, listed(choices).c_str(),
                 best ? fmt::format(" (did you mean `{}`?)", *best).c_str() : "");
}

}  // namespace

void add_selection_options(CLI::App* cmd, SelectionFlags& flags, EnvDefault dflt, const char* verb, bool with_target) {
  if (dflt == EnvDefault::All) {
    auto* env = cmd->add_option("--env,-e", flags.env,
                                fmt::format("{} one environment only (default: every environment)", verb));
    cmd->add_flag("--all-envs", flags.all_envs, fmt::format("{} every environment (the default)", verb))->excludes(env);
  } else {
    cmd->add_option("--env,-e", flags.env, "The environment (default: the first one declared)");
  }
  if (with_target)
    cmd->add_option("--target,-t", flags.target, "The target cloud (default: the first in platform.targets)");
}

std::optional<Selection> select(const sema::Model& m, const SelectionFlags& flags, EnvDefault dflt) {
  const std::string& env = flags.env;
  const std::string& target = flags.target;
  bool first_by_default = dflt == EnvDefault::First;
  Selection s;
  const auto& envs = m.environments;
  if (!env.empty()) {
    if (std::find(envs.begin(), envs.end(), env) == envs.end()) {
      unknown("environment", env, envs);
      return std::nullopt;
    }
    s.environments = {env};
  } else if (first_by_default && !envs.empty()) {
    s.environments = {envs.front()};
  } else {
    s.environments = envs;
  }
  if (!target.empty() && std::find(m.targets.begin(), m.targets.end(), target) == m.targets.end()) {
    unknown("target", target, m.targets);
    return std::nullopt;
  }
  s.target = target;
  return s;
}

std::optional<std::vector<const backends::Backend*>> select_backends(const std::string& emit,
                                                                     const std::vector<std::string>& targets) {
  std::vector<const backends::Backend*> out;
  if (emit.empty()) {
    for (const auto* b : backends::registry())
      if (b->applies_to(targets)) out.push_back(b);
    return out;
  }
  std::vector<std::string> names;
  for (const auto* b : backends::registry()) names.emplace_back(b->name());
  std::size_t start = 0;
  while (start <= emit.size()) {
    std::size_t comma = emit.find(',', start);
    std::string name = emit.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    const backends::Backend* b = backends::find_backend(name);
    if (!b) {
      unknown("backend", name, names);
      return std::nullopt;
    }
    if (std::find(out.begin(), out.end(), b) == out.end()) out.push_back(b);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  // Registry order, whatever order --emit named them in: the output does not depend on it.
  std::vector<const backends::Backend*> ordered;
  for (const auto* b : backends::registry())
    if (std::find(out.begin(), out.end(), b) != out.end()) ordered.push_back(b);
  return ordered;
}

Diagnostics check_backends(const sema::Model& m, const std::vector<std::string>& environments,
                           const std::vector<const backends::Backend*>& chosen) {
  Diagnostics all;
  std::set<std::tuple<std::string, std::string, FileId, std::uint32_t, std::uint32_t>> seen;
  for (const auto& g : m.graphs) {
    if (std::find(environments.begin(), environments.end(), g.environment) == environments.end()) continue;
    Diagnostics d;
    // The names every backend shares first, then each backend's own rules.
    contract::check(g, d);
    for (const auto* b : chosen) b->check(g, d);
    for (auto& x : d.items()) {
      auto key = std::make_tuple(std::string(x.code()), x.message, x.primary.file, x.primary.line, x.primary.col);
      if (seen.insert(key).second) all.add(std::move(x));
    }
  }
  all.sort();
  return all;
}

}  // namespace platc::cli
