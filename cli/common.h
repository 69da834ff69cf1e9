// What every subcommand shares: exit codes, loading a platform, printing diagnostics.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

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

// The policy gate of `platc build`: runs the policies on the environments `envs` and, when a
// finding is at or above `fail_on` (error | warning | note), prints those findings and returns
// kFindings; otherwise prints nothing and returns kOk.
int enforce_policies(const Compiled& c, const SourceManager& sources, const std::vector<std::string>& envs,
                     const std::string& fail_on, const OutputOptions& opts);

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

}  // namespace platc::cli
