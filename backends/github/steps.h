// The pieces every workflow is made of: steps, and the per-cloud steps that log in with the
// identities the Terraform output creates (contract names), push to its registry and reach its
// cluster. Shell scripts never expand `${{ … }}`: values reach them through `env:`.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "backends/emit/yaml_writer.h"
#include "backends/github/model.h"

namespace platc::github {

using emit::YamlNode;
using Env = std::vector<std::pair<std::string, std::string>>;

YamlNode uses_step(std::string_view name, std::string_view action, const Env& with = {});
YamlNode run_step(std::string_view name, std::string script, const Env& env = {});
YamlNode checkout_step();
// Puts the keys of every job and step of a workflow in the order people read them (a job's name,
// needs, condition, runner, environment …; a step's name, id, condition, action …), whatever order
// the writers set them in.
void tidy(YamlNode& workflow);
// A string-to-string map node in the order given.
YamlNode map_of(const Env& entries);

// Pinned tool versions the deploy jobs install.
inline constexpr std::string_view kTerraformVersion = "1.11.4";
inline constexpr std::string_view kHelmVersion = "v3.18.4";
inline constexpr std::string_view kRunner = "ubuntu-24.04";

// The cloud side of one environment.
// The steps that exchange the job's OIDC token for `identity` (deploy_identity or
// terraform_identity); `id` names the step.
void cloud_login(YamlNode& steps, const Environment& e, const std::string& identity, std::string_view id);
// The steps that log in to the environment's registry; returns the expression of the registry
// host and path the images are pushed under (`<registry>/<repository>:<sha>`).
std::string registry_login(YamlNode& steps, const Environment& e);
// The steps that write the cluster's kubeconfig.
void kube_credentials(YamlNode& steps, const Environment& e);
// The Terraform module of the environment below the output root, and the environment variables
// the plan needs beyond the tfvars (the GitHub repository the trust policies name).
std::string terraform_dir(const Environment& e);
Env terraform_env(const Environment& e);
std::vector<std::string> terraform_args(const Environment& e);
// The GitHub environment variables and secrets a cloud needs, for the README: name -> meaning.
Env cloud_variables(const Environment& e);

}  // namespace platc::github
