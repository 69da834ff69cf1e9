// The pull-request plan: one job per environment of the deploy chain that plans the environment's
// Terraform module as its read-only plan identity and posts the plan (job summary, one comment on
// the pull request updated in place). Generated only for a pipeline with a pull_request trigger.
#pragma once

#include <string>
#include <vector>

#include "backends/emit/yaml_writer.h"
#include "backends/github/model.h"
#include "backends/github/steps.h"

namespace platc::github {

// Adds `plan-<env>` for every environment to `jobs` when the pipeline runs on pull requests.
void add_plan_jobs(YamlNode& jobs, const Pipeline& p);
// A pull-request job runs in no GitHub environment, so it reads no environment variable: each
// variable it needs is a repository variable named after the environment's (`AWS_ACCOUNT_ID` of
// `prod_eu` is `AWS_ACCOUNT_ID_PROD_EU`).
std::string repository_variable(std::string_view name, const Environment& e);
// The repository variables the plan jobs of `e` read, for the README: name -> meaning.
Env plan_variables(const Environment& e);
// The README's section on the plan jobs (empty without a pull_request trigger).
std::string plan_readme(const Pipeline& p);
// `terraform init` of the environment's module against its state (the backend's own key per cloud).
std::string terraform_init(const Environment& e);

}  // namespace platc::github
