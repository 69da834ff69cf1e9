#include "backends/github/steps.h"

#include "backends/contract/target.h"
#include "backends/github/pins.h"

namespace platc::github {

using contract::Cloud;

YamlNode map_of(const Env& entries) {
  YamlNode m = YamlNode::map();
  for (const auto& [k, v] : entries) m.set(k, v);
  return m;
}

namespace {

YamlNode reordered(const YamlNode& m, std::initializer_list<std::string_view> order) {
  YamlNode out = YamlNode::map();
  for (std::string_view key : order)
    if (const YamlNode* v = m.find(key)) out.set(key, *v);
  for (const auto& [k, v] : m.entries())
    if (!out.find(k)) out.set(k, v);
  return out;
}

}  // namespace

void tidy(YamlNode& workflow) {
  const YamlNode* jobs = workflow.find("jobs");
  if (!jobs) return;
  YamlNode fresh = YamlNode::map();
  for (const auto& [id, job] : jobs->entries()) {
    YamlNode j = reordered(job, {"name", "needs", "if", "runs-on", "environment", "concurrency", "timeout-minutes",
                                 "permissions", "env", "steps"});
    if (const YamlNode* steps = j.find("steps")) {
      YamlNode list = YamlNode::seq();
      for (const auto& step : steps->items())
        list.push(reordered(
            step, {"name", "id", "if", "uses", "with", "env", "working-directory", "continue-on-error", "run"}));
      j.set("steps", std::move(list));
    }
    fresh.set(id, std::move(j));
  }
  workflow.set("jobs", std::move(fresh));
}

YamlNode uses_step(std::string_view name, std::string_view action, const Env& with) {
  YamlNode s = YamlNode::map();
  s.set("name", std::string(name));
  s.set("uses", uses(action));
  if (!with.empty()) s.set("with", map_of(with));
  return s;
}

YamlNode run_step(std::string_view name, std::string script, const Env& env) {
  YamlNode s = YamlNode::map();
  s.set("name", std::string(name));
  if (!env.empty()) s.set("env", map_of(env));
  s.set("run", std::move(script));
  return s;
}

YamlNode checkout_step() {
  // The job's token stays out of .git/config, where a later step could read it.
  return uses_step("Check out", "actions/checkout", {{"persist-credentials", "false"}});
}

// The environment's AWS account: declared (`account`), or the GitHub environment's variable.
std::string aws_account(const Environment& e) {
  return e.d.account().empty() ? "${{ vars.AWS_ACCOUNT_ID }}" : e.d.account();
}

void cloud_login(YamlNode& steps, const Environment& e, const std::string& identity, std::string_view id) {
  const contract::Deployment& d = e.d;
  switch (d.target().cloud) {
    case Cloud::Aws: {
      YamlNode s = uses_step("Log in to AWS as " + identity, "aws-actions/configure-aws-credentials",
                             {{"role-to-assume", "arn:aws:iam::" + aws_account(e) + ":role/" + identity},
                              {"role-session-name", "github-${{ github.run_id }}"},
                              {"aws-region", d.region()}});
      s.set("id", std::string(id));
      steps.push(std::move(s));
      return;
    }
    case Cloud::Gcp: {
      std::string provider = "projects/${{ vars.GCP_PROJECT_NUMBER }}/locations/global/workloadIdentityPools/" +
                             std::string(contract::Deployment::kGithubPool) + "/providers/" +
                             std::string(contract::Deployment::kGithubProvider);
      YamlNode s = uses_step("Log in to Google Cloud as " + identity, "google-github-actions/auth",
                             {{"workload_identity_provider", provider},
                              {"service_account", identity + "@" + d.gcp_project() + ".iam.gserviceaccount.com"}});
      s.set("id", std::string(id));
      steps.push(std::move(s));
      steps.push(uses_step("Set up gcloud", "google-github-actions/setup-gcloud"));
      return;
    }
    case Cloud::Azure: {
      // One client id per identity: the Terraform output's client ids, kept as environment variables.
      std::string var = identity == d.terraform_identity() ? "AZURE_TERRAFORM_CLIENT_ID" : "AZURE_DEPLOY_CLIENT_ID";
      YamlNode s =
          uses_step("Log in to Azure as " + identity, "azure/login",
                    {{"client-id", "${{ vars." + var + " }}"},
                     {"tenant-id", "${{ vars.AZURE_TENANT_ID }}"},
                     {"subscription-id", d.account().empty() ? "${{ vars.AZURE_SUBSCRIPTION_ID }}" : d.account()}});
      s.set("id", std::string(id));
      steps.push(std::move(s));
      return;
    }
    case Cloud::None:
      return;
  }
}

std::string registry_login(YamlNode& steps, const Environment& e) {
  const contract::Deployment& d = e.d;
  switch (d.target().cloud) {
    case Cloud::Aws: {
      YamlNode s = uses_step("Log in to ECR", "aws-actions/amazon-ecr-login");
      s.set("id", "registry");
      steps.push(std::move(s));
      return "${{ steps.registry.outputs.registry }}";
    }
    case Cloud::Gcp: {
      std::string host = d.region() + "-docker.pkg.dev";
      steps.push(run_step("Log in to Artifact Registry", "gcloud auth configure-docker \"$REGISTRY_HOST\" --quiet\n",
                          {{"REGISTRY_HOST", host}}));
      return host + "/" + d.gcp_project() + "/" + d.container_registry();
    }
    case Cloud::Azure: {
      steps.push(
          run_step("Log in to ACR", "az acr login --name \"$ACR_NAME\"\n", {{"ACR_NAME", d.container_registry()}}));
      return d.container_registry() + ".azurecr.io";
    }
    case Cloud::None:
      return "";
  }
  return "";
}

void kube_credentials(YamlNode& steps, const Environment& e) {
  const contract::Deployment& d = e.d;
  switch (d.target().cloud) {
    case Cloud::Aws:
      steps.push(run_step("Cluster credentials", "aws eks update-kubeconfig --name \"$CLUSTER\" --region \"$REGION\"\n",
                          {{"CLUSTER", d.cluster()}, {"REGION", d.region()}}));
      return;
    case Cloud::Gcp:
      steps.push(uses_step("Cluster credentials", "google-github-actions/get-gke-credentials",
                           {{"cluster_name", d.cluster()}, {"location", d.region()}, {"project_id", d.gcp_project()}}));
      return;
    case Cloud::Azure:
      steps.push(uses_step("Cluster credentials", "azure/aks-set-context",
                           {{"resource-group", d.resource_group()}, {"cluster-name", d.cluster()}}));
      return;
    case Cloud::None:
      return;
  }
}

std::string terraform_dir(const Environment& e) {
  return "terraform/" + std::string(e.d.target().name) + "/" + e.g->environment;
}

Env terraform_env(const Environment& e) {
  // TF_VAR_ has the lowest precedence: it fills variables the tfvars leave at their default.
  Env env = {{"TF_STATE_BUCKET", "${{ vars.TF_STATE_BUCKET }}"},
             {"TF_VAR_github_repository", "${{ github.repository }}"}};
  if (e.d.target().cloud == Cloud::Aws) {
    if (e.d.account().empty()) env.push_back({"AWS_ACCOUNT_ID", "${{ vars.AWS_ACCOUNT_ID }}"});
    if (e.caches) env.push_back({"TF_VAR_cache_auth_tokens", "${{ secrets.CACHE_AUTH_TOKENS }}"});
  }
  return env;
}

std::vector<std::string> terraform_args(const Environment& e) {
  std::vector<std::string> args = {"-var-file=" + e.g->environment + ".tfvars"};
  // Without a declared account the tfvars hold a placeholder: the environment's variable replaces it.
  if (e.d.target().cloud == Cloud::Aws && e.d.account().empty()) args.push_back("-var=\"account_id=$AWS_ACCOUNT_ID\"");
  return args;
}

Env cloud_variables(const Environment& e) {
  const contract::Deployment& d = e.d;
  Env out = {{"TF_STATE_BUCKET", "variable: the Terraform state bucket (terraform/" + std::string(d.target().name) +
                                     "/README.md, step 0)"}};
  switch (d.target().cloud) {
    case Cloud::Aws:
      if (d.account().empty())
        out.push_back({"AWS_ACCOUNT_ID",
                       "variable: the environment's AWS account (the tfvars' `account_id`; or declare "
                       "it: `account` of the environment)"});
      if (e.caches)
        out.push_back({"CACHE_AUTH_TOKENS", "secret: the caches' AUTH tokens as JSON (`TF_VAR_cache_auth_tokens`)"});
      break;
    case Cloud::Gcp:
      out.push_back({"GCP_PROJECT_NUMBER", "variable: the number of project `" + d.gcp_project() + "`"});
      break;
    case Cloud::Azure:
      out.push_back({"AZURE_TENANT_ID", "variable: the Entra ID tenant"});
      if (d.account().empty())
        out.push_back(
            {"AZURE_SUBSCRIPTION_ID", "variable: the subscription of resource group `" + d.resource_group() + "`"});
      out.push_back({"AZURE_TERRAFORM_CLIENT_ID", "variable: client id of identity `" + d.terraform_identity() + "`"});
      out.push_back({"AZURE_DEPLOY_CLIENT_ID", "variable: client id of identity `" + d.deploy_identity() + "`"});
      break;
    case Cloud::None:
      break;
  }
  return out;
}

}  // namespace platc::github
