// The input variables of a Terraform root module, as the three Terraform backends declare them:
// `variables.tf` (one block per variable, in the order declared) and `<env>.tfvars` (the values of
// one environment). One definition, so the clouds' modules read their inputs alike.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "backends/emit/hcl_model.h"

namespace platc::emit::hcl {

struct Variable {
  std::string name, type, description;
  std::optional<Expr> value;     // the environment's value, in <env>.tfvars
  std::optional<Expr> fallback;  // the default in variables.tf
  bool sensitive = false;
};

// One `variable` block per variable into `f` (the module's variables.tf).
void declare_variables(File& f, const std::vector<Variable>& vars);

// The text of `<environment>.tfvars`: `header_line` (the generated-by line, without its `# `),
// a line saying how to use it, then every variable that has a value for this environment.
std::string tfvars(const std::vector<Variable>& vars, const std::string& header_line, const std::string& environment);

// The files of one environment's root module under `dir` (`terraform/<cloud>/<env>/`), as path
// and text: each non-empty file of `files` in `order` (files by concern, in the order a reader
// meets them) after the generated-by comment naming `sources`, then `<environment>.tfvars`.
std::vector<std::pair<std::string, std::string>> module_files(
    const std::string& dir, std::span<const char* const> order, const std::map<std::string, File>& files,
    const std::vector<Variable>& vars, const std::set<std::string>& sources, const std::string& environment);

}  // namespace platc::emit::hcl
