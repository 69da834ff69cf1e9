// What every subcommand shares: exit codes, loading a platform, printing diagnostics.
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <string>
#include <vector>

#include "backends/backend.h"
#include "compiler/diag/diagnostic.h"
#include "compiler/driver/load.h"
#include "compiler/sema/sema.h"
#include "compiler/source/source.h"

namespace platc::cli {

enum Exit : int {
  kOk = 0,
  kFindings = 1,      // policy findings at or above the failing severity; `fmt --check` changes
  kCompileError = 2,  // the input does not compile
  kUsageError = 3,    // bad flags, unreadable paths, refused writes
};

enum class Format { Human, Json };

struct OutputOptions {
  Format format = Format::Human;
  std::string color = "auto";  // auto | always | never
};

void add_output_options(CLI::App* cmd, OutputOptions& opts, bool with_format);

// Prints diagnostics to stderr (human) or stdout (json) as the options say, with the summary.
void print_diagnostics(const Diagnostics& diags, const SourceManager& sources, const OutputOptions& opts);

// Exit code for what loading and parsing produced.
int exit_code_for(const driver::LoadResult& r);

// Load, parse and (when the files parse) type-check a platform: the pipeline up to the graph.
struct Compiled {
  driver::LoadResult load;
  sema::Model model;  // empty when the files did not parse
  Diagnostics diags;  // of every stage, sorted
  bool analyzed = false;
  int exit_code() const;
};
Compiled compile(SourceManager& sources, const std::vector<std::string>& paths, bool analyze = true);

// Gives `c` a home that lives until the process ends and is never freed: the operating system takes
// a process's memory back at once, while freeing a large platform's graphs node by node took 8% of
// `platc check` of 1,000 services. Still reachable at exit, so LeakSanitizer does not count it.
Compiled& keep_until_exit(Compiled&& c);

// The policy gate of `platc build`: runs the policies on the environments `envs` and, when a
// finding is at or above `fail_on` (error | warning | note), prints those findings and returns
// kFindings; otherwise prints nothing and returns kOk.
int enforce_policies(const Compiled& c, const SourceManager& sources, const std::vector<std::string>& envs,
                     const std::string& fail_on, const OutputOptions& opts);

// The flags that choose environments and the target, as every subcommand spells them.
struct SelectionFlags {
  std::string env, target;
  bool all_envs = false;
};
enum class EnvDefault { All, First };
// --env/-e (with --all-envs when the default is every environment) and, when `with_target`,
// --target/-t. `verb` starts the help of --env: "Build" gives "Build one environment only".
void add_selection_options(CLI::App* cmd, SelectionFlags& flags, EnvDefault dflt, const char* verb, bool with_target);

// The environments and the target a command works on, from its --env and --target flags.
struct Selection {
  std::vector<std::string> environments;  // declaration order
  std::string target;                     // empty: the first of platform.targets (or none)
};
// `env` empty: every environment, or only the first when `first_by_default`. An unknown name is
// printed as "error: no environment `x`; the environments are … (did you mean …?)" and gives
// nullopt (exit kUsageError).
std::optional<Selection> select(const sema::Model& m, const SelectionFlags& flags, EnvDefault dflt);

// The backends of `--emit a,b` (empty: every backend that applies to the platform's targets).
// An unknown name is printed with the list of backends and gives nullopt (exit kUsageError).
std::optional<std::vector<const backends::Backend*>> select_backends(const std::string& emit,
                                                                     const std::vector<std::string>& targets);

// The check steps of `chosen` on every graph of the selected environments, every target: what
// `platc build` would refuse, found by `platc check`. The same problem in several environments or
// targets is reported once.
Diagnostics check_backends(const sema::Model& m, const std::vector<std::string>& environments,
                           const std::vector<const backends::Backend*>& chosen);

// Registration of the subcommands; each returns the function to run when it was chosen.
using Runner = std::function<int()>;
Runner register_check(CLI::App& app);
Runner register_build(CLI::App& app);
Runner register_fmt(CLI::App& app);
Runner register_graph(CLI::App& app);
Runner register_explain(CLI::App& app);
Runner register_init(CLI::App& app);
Runner register_debug(CLI::App& app);
Runner register_why(CLI::App& app);
Runner register_doc(CLI::App& app);
Runner register_backends(CLI::App& app);

}  // namespace platc::cli
