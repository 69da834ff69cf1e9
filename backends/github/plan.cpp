// Pull requests plan every environment and never deploy. A pull request's jobs run the workflow as
// the pull request changed it, so nothing in the workflow limits them: what limits them is the
// identity. The plan job logs in as the environment's plan identity (contract: plan_identity()),
// which the Terraform output trusts for exactly this repository's pull-request subject and allows
// to read but never to write, nor to read a secret's value. Forks get no OIDC token and a
// read-only GITHUB_TOKEN, so the job runs only for branches of this repository.
#include "backends/github/plan.h"

#include <cctype>

#include "backends/contract/target.h"
#include "backends/github/pins.h"

namespace platc::github {

using contract::Cloud;

namespace {

// The longest plan text posted (a comment holds 65536 characters; the summary shows the same).
constexpr int kPlanBytes = 60000;

// `${{ vars.NAME }}` -> `${{ vars.NAME_<ENV> }}` in `text`; the workflow's own PLATC_* variables
// are repository variables already.
std::string scoped(std::string text, const Environment& e) {
  std::string out;
  std::size_t at = 0;
  for (std::size_t k; (k = text.find("vars.", at)) != std::string::npos;) {
    std::size_t end = k + 5;
    while (end < text.size() && (std::isalnum(static_cast<unsigned char>(text[end])) || text[end] == '_')) ++end;
    std::string name = text.substr(k + 5, end - k - 5);
    out += text.substr(at, k + 5 - at) + (name.starts_with("PLATC_") ? name : repository_variable(name, e));
    at = end;
  }
  return out + text.substr(at);
}

YamlNode scoped(const YamlNode& n, const Environment& e) {
  if (n.kind() == YamlNode::Kind::String) return YamlNode::str(scoped(n.text(), e));
  if (n.is_seq()) {
    YamlNode s = YamlNode::seq();
    for (const auto& item : n.items()) s.push(scoped(item, e));
    return s;
  }
  if (n.is_map()) {
    YamlNode m = YamlNode::map();
    for (const auto& [k, v] : n.entries()) m.set(k, scoped(v, e));
    return m;
  }
  return n;
}

std::string plan_script(const Environment& e) {
  std::string s = "set -euo pipefail\n";
  if (e.d.target().cloud == Cloud::Aws && e.databases)
    s += "curl -fsS --proto '=https' -o \"$RUNNER_TEMP/rds-ca.pem\" \\\n"
         "  \"https://truststore.pki.rds.amazonaws.com/" +
         e.d.region() + "/" + e.d.region() +
         "-bundle.pem\"\n"
         "TF_VAR_rds_ca_bundle=\"$(cat \"$RUNNER_TEMP/rds-ca.pem\")\"\nexport TF_VAR_rds_ca_bundle\n";
  if (e.d.target().cloud == Cloud::Aws && !e.auth_caches.empty()) {
    // The AUTH tokens are secrets, which a pull request's job never receives: stand-ins of a valid
    // length, so the plan shows every other change (the comment says so).
    std::string tokens;
    for (const auto& c : e.auth_caches)
      tokens += std::string(tokens.empty() ? "" : ",") + "\"" + c + "\":\"platc-plan-stand-in-token\"";
    s += "export TF_VAR_cache_auth_tokens='{" + tokens + "}'\n";
  }
  s += terraform_init(e);
  // -lock=false: the state is read, never locked. Locking writes (an S3 lock object, a GCS lock
  // object, an Azure blob lease), which the plan identity may not do; a plan changes nothing, so
  // a concurrent apply can at worst make it stale.
  s += "terraform plan -input=false -lock=false";
  for (const auto& a : terraform_args(e)) s += " " + a;
  s += " -out=plan.tfplan\n";
  s += "terraform show -no-color plan.tfplan > \"$PLAN_TEXT\"\n";
  s += "{\n  echo '### Terraform plan: " + e.g->environment +
       "'\n  echo '```'\n"
       "  head -c " +
       std::to_string(kPlanBytes) + " \"$PLAN_TEXT\"\n  echo '```'\n} >> \"$GITHUB_STEP_SUMMARY\"\n";
  return s;
}

// One comment per environment on the pull request, found again by its first line and updated,
// so a new push replaces the plan instead of adding one. Every value comes through env.
std::string comment_script() {
  return "const fs = require('fs');\n"
         "const env = process.env;\n"
         "const limit = " +
         std::to_string(kPlanBytes) +
         ";\n"
         "let plan = fs.existsSync(env.PLAN_TEXT) ? fs.readFileSync(env.PLAN_TEXT, 'utf8') : '';\n"
         "if (plan.length > limit) plan = plan.slice(0, limit) + '\\n… (truncated)';\n"
         "const lines = [env.MARKER, `### Terraform plan: \\`${env.ENVIRONMENT}\\``, '',\n"
         "  `${env.OUTCOME === 'success' ? 'Planned' : 'The plan failed'} at ${env.HEAD_SHA} "
         "([run](${env.RUN_URL})).`];\n"
         "if (env.NOTE) lines.push('', env.NOTE);\n"
         "if (plan) lines.push('', '<details><summary>The plan</summary>', '', '```text', plan, '```', '', "
         "'</details>');\n"
         "const body = lines.join('\\n');\n"
         "const { owner, repo } = context.repo;\n"
         "const issue_number = context.issue.number;\n"
         "const comments = await github.paginate(github.rest.issues.listComments, { owner, repo, issue_number, "
         "per_page: 100 });\n"
         "const mine = comments.find((c) => c.user && c.user.type === 'Bot' && (c.body || "
         "'').startsWith(env.MARKER));\n"
         "if (mine) await github.rest.issues.updateComment({ owner, repo, comment_id: mine.id, body });\n"
         "else await github.rest.issues.createComment({ owner, repo, issue_number, body });\n";
}

bool on_pull_requests(const Pipeline& p) {
  for (const auto& t : p.triggers)
    if (t.kind == Trigger::PullRequest) return true;
  return false;
}

YamlNode plan_job(const Pipeline& p, const Environment& e) {
  const contract::Deployment& d = e.d;
  YamlNode j = YamlNode::map();
  j.set("name", "plan " + e.g->environment);
  YamlNode needs = YamlNode::seq();
  needs.push(YamlNode::str("validate"));
  j.set("needs", std::move(needs));
  j.set("if",
        "${{ github.event_name == 'pull_request' && github.event.pull_request.head.repo.full_name == "
        "github.repository }}");
  j.set("runs-on", std::string(kRunner));
  // A newer push to the pull request replaces the plan of an older one.
  YamlNode& c = j.child("concurrency");
  c.set("group", p.platform + "-plan-" + d.github_environment() + "-${{ github.event.pull_request.number }}");
  c.set("cancel-in-progress", YamlNode::boolean(true));
  j.set("timeout-minutes", YamlNode::integer(20));
  // id-token: the login federates; pull-requests: the comment. Nothing else is written.
  j.set("permissions", map_of({{"contents", "read"}, {"id-token", "write"}, {"pull-requests", "write"}}));
  YamlNode& steps = j.set("steps", YamlNode::seq());
  steps.push(checkout_step());
  steps.push(uses_step("Set up Terraform", "hashicorp/setup-terraform",
                       {{"terraform_version", std::string(kTerraformVersion)}, {"terraform_wrapper", "false"}}));
  YamlNode login = YamlNode::seq();
  cloud_login(login, e, d.plan_identity(), "plan-login");
  for (const auto& s : login.items()) steps.push(scoped(s, e));

  Env env;
  for (const auto& [k, v] : terraform_env(e))
    if (v.find("secrets.") == std::string::npos) env.push_back({k, scoped(v, e)});
  env.push_back({"PLAN_TEXT", "${{ runner.temp }}/plan.txt"});
  YamlNode tf = run_step("Terraform plan (" + terraform_dir(e) + ")", plan_script(e), env);
  tf.set("id", "plan");
  tf.set("working-directory", "${{ env.PLATC_OUT }}/" + terraform_dir(e));
  steps.push(std::move(tf));

  std::string note;
  if (d.target().cloud == Cloud::Aws && !e.auth_caches.empty())
    note =
        "The caches' AUTH tokens are stand-ins here (a pull request's job reads no secret): a change of "
        "`auth_token` in this plan is not a real one.";
  YamlNode post =
      uses_step("Post the plan on the pull request", "actions/github-script", {{"script", comment_script()}});
  post.set("if", "${{ always() && steps.plan.outcome != 'skipped' }}");
  Env post_env = {{"PLAN_TEXT", "${{ runner.temp }}/plan.txt"},
                  {"MARKER", "<!-- platc plan: " + d.release() + " -->"},
                  {"ENVIRONMENT", d.github_environment()},
                  {"OUTCOME", "${{ steps.plan.outcome }}"},
                  {"HEAD_SHA", "${{ github.event.pull_request.head.sha }}"},
                  {"RUN_URL", "${{ github.server_url }}/${{ github.repository }}/actions/runs/${{ github.run_id }}"}};
  if (!note.empty()) post_env.push_back({"NOTE", note});
  post.set("env", map_of(post_env));
  steps.push(std::move(post));
  return j;
}

}  // namespace

std::string repository_variable(std::string_view name, const Environment& e) {
  std::string out = std::string(name) + "_";
  for (char ch : contract::object_name(e.g->environment))
    out += ch == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return out;
}

Env plan_variables(const Environment& e) {
  Env out;
  YamlNode login = YamlNode::seq();
  cloud_login(login, e, e.d.plan_identity(), "plan-login");
  std::string text;
  for (const auto& [k, v] : terraform_env(e)) text += v + "\n";
  for (const auto& s : login.items())
    if (const YamlNode* with = s.find("with"))
      for (const auto& [k, v] : with->entries()) text += v.text() + "\n";
  for (const auto& [name, meaning] : cloud_variables(e))
    if (text.find("vars." + name + " ") != std::string::npos) out.push_back({repository_variable(name, e), meaning});
  if (e.d.target().cloud == Cloud::Azure)
    out.push_back({repository_variable("AZURE_PLAN_CLIENT_ID", e),
                   "variable: client id of identity `" + e.d.plan_identity() + "` (output `plan_client_id`)"});
  return out;
}

std::string terraform_init(const Environment& e) {
  std::string key = e.d.target().cloud == Cloud::Azure ? "storage_account_name" : "bucket";
  return "terraform init -input=false -backend-config=\"" + key + "=$TF_STATE_BUCKET\"\n";
}

std::string plan_readme(const Pipeline& p) {
  if (!on_pull_requests(p)) return "";
  Cloud cloud = p.environments.front().d.target().cloud;
  std::string out = "## Pull requests: the Terraform plan\n\n";
  out +=
      "On a pull request (from a branch of this repository: a fork's run gets no OIDC token), after the "
      "validation, one job per environment (`plan-<environment>`) runs `terraform init` and `terraform plan "
      "-lock=false` of the environment's module with the same backend, tfvars and inputs as its deploy job, "
      "then posts the plan: in the job summary and as one comment on the pull request per environment, updated "
      "in place by every new push (both cut at " +
      std::to_string(kPlanBytes) +
      " bytes; `terraform show` hides sensitive values). It never applies, pushes or deploys, and a newer push "
      "cancels it.\n\n"
      "It logs in as the environment's **plan identity**, which the Terraform output creates: trusted by exactly "
      "the OIDC subject `repo:<owner>/<name>:pull_request` (never an environment's subject: a pull request's "
      "job runs the workflow as the pull request changed it and no environment's protection rules gate it), and "
      "allowed to read only: " +
      std::string(cloud == Cloud::Aws
                      ? "`ReadOnlyAccess`, the state's object (`terraform_state_bucket`), and an explicit deny of "
                        "`secretsmanager:GetSecretValue`, the SSM parameter reads, every S3 object but the state and "
                        "`sqs:ReceiveMessage`"
                  : cloud == Cloud::Gcp
                      ? "`roles/viewer` on the project (no secret payload) and `roles/storage.objectViewer` on the "
                        "state bucket (`terraform_state_bucket`)"
                      : "`Reader` on the subscription (no data actions: no secret, key or blob) and `Storage Blob "
                        "Data Reader` on the state container (`terraform_state_bucket` names its account)") +
      ". It plans with `-lock=false` because taking the lock is a write it may not do. Its job has "
      "`id-token: write` (the login federates) and `pull-requests: write` (the comment), nothing else.\n\n"
      "A plan reads the module's state, and the state holds what the module wrote there: whoever can open a "
      "pull request that runs this job can read it. A plan that needs a secret's value fails instead of "
      "reading it.";
  bool aws_caches = false;
  for (const auto& e : p.environments)
    aws_caches = aws_caches || (e.d.target().cloud == Cloud::Aws && !e.auth_caches.empty());
  if (aws_caches)
    out +=
        " The caches' AUTH tokens are secret inputs, so the plan is given stand-ins (and says so): a change "
        "of `auth_token` in it is not a real one.";
  out +=
      "\n\nA pull request's job reads no environment variable, so the values it needs are **repository** "
      "variables (Settings → Secrets and variables → Actions → Variables), one per environment:\n\n"
      "| Environment | Plan identity | Repository variables |\n|---|---|---|\n";
  for (const auto& e : p.environments) {
    std::string vars;
    for (const auto& [k, v] : plan_variables(e)) vars += (vars.empty() ? "" : "<br>") + ("`" + k + "` " + v);
    out += "| `" + e.d.github_environment() + "` | `" + e.d.plan_identity() + "` | " + vars + " |\n";
  }
  return out + "\n";
}

void add_plan_jobs(YamlNode& jobs, const Pipeline& p) {
  if (!on_pull_requests(p)) return;
  for (const auto& e : p.environments) jobs.set("plan-" + contract::object_name(e.g->environment), plan_job(p, e));
}

}  // namespace platc::github
