// The delivery workflow: one build job per image (Buildx, scanned by Trivy before anything leaves
// the job, kept as an OCI archive), a Terraform validation, then one deploy job per environment
// of the chain, each bound to its GitHub environment: Terraform plan and apply, the images pushed
// to the environment's registry, `helm upgrade --install --atomic --wait` (pre_deploy and
// post_deploy jobs run as the chart's hooks), the smoke test, and `helm rollback` when the smoke
// test fails after the rollout. Pull requests build, scan and plan every environment (plan.cpp).
#include "backends/contract/target.h"
#include "backends/github/pins.h"
#include "backends/github/plan.h"
#include "backends/github/steps.h"
#include "backends/github/workflows.h"

namespace platc::github {

namespace {

std::string join(const std::vector<std::string>& items, std::string_view sep) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : std::string(sep)) + i;
  return out;
}

YamlNode triggers(const Pipeline& p) {
  YamlNode on = YamlNode::map();
  auto add_branch = [&](std::string_view event, std::string_view key, const std::string& value) {
    YamlNode& list = on.child(event).child(key);
    if (!list.is_seq()) list = YamlNode::seq();
    list.push(YamlNode::str(value));
  };
  for (const auto& t : p.triggers) switch (t.kind) {
      case Trigger::Push:
        add_branch("push", "branches", t.arg);
        break;
      case Trigger::Tag:
        add_branch("push", "tags", t.arg);
        break;
      case Trigger::PullRequest:
        add_branch("pull_request", "branches", t.arg);
        break;
      case Trigger::Schedule: {
        YamlNode& list = on.child("schedule");
        if (!list.is_seq()) list = YamlNode::seq();
        list.push(map_of({{"cron", t.arg}}));
        break;
      }
      case Trigger::Manual:
        on.set("workflow_dispatch", YamlNode());
        break;
    }
  return on;
}

YamlNode job_base(std::string name, int timeout, const Env& permissions) {
  YamlNode j = YamlNode::map();
  j.set("name", std::move(name));
  j.set("runs-on", std::string(kRunner));
  j.set("timeout-minutes", YamlNode::integer(timeout));
  j.set("permissions", map_of(permissions));
  return j;
}

YamlNode build_job(const Pipeline& p, const Image& img) {
  YamlNode j = job_base("build " + img.repository, 60,
                        {{"contents", "read"}, {"security-events", "write"}, {"actions", "read"}});
  // A newer push cancels the build of an older one (never a deploy: see the deploy jobs).
  YamlNode& c = j.child("concurrency");
  c.set("group", p.platform + "-build-" + img.slug + "-${{ github.ref }}");
  c.set("cancel-in-progress", YamlNode::boolean(true));
  YamlNode& steps = j.set("steps", YamlNode::seq());
  steps.push(checkout_step());
  bool cross = p.platforms.size() > 1 || p.platforms.front() != "linux/amd64";
  if (cross) steps.push(uses_step("Set up QEMU", "docker/setup-qemu-action"));
  steps.push(uses_step("Set up Buildx", "docker/setup-buildx-action"));
  std::string archive = "${{ runner.temp }}/" + img.slug + ".tar";
  Env with = {{"context", "${{ env.PLATC_PLATFORM }}/" + img.context},
              {"platforms", join(p.platforms, ",")},
              {"push", "false"},
              {"provenance", "false"},
              {"tags", img.repository + ":${{ github.sha }}"},
              {"outputs", "type=oci,dest=" + archive}};
  if (p.cache) {
    with.push_back({"cache-from", "type=gha,scope=" + img.slug});
    with.push_back({"cache-to", "type=gha,mode=max,scope=" + img.slug});
  }
  steps.push(uses_step("Build (not pushed)", "docker/build-push-action", with));
  if (!p.trivy_severities.empty()) {
    YamlNode scan = uses_step("Scan with Trivy", "aquasecurity/trivy-action",
                              {{"input", archive},
                               {"format", "sarif"},
                               {"output", "trivy-" + img.slug + ".sarif"},
                               {"severity", join(p.trivy_severities, ",")},
                               {"limit-severities-for-sarif", "true"},
                               {"exit-code", "1"}});
    scan.set("id", "scan");
    steps.push(std::move(scan));
    YamlNode up = uses_step("Upload the findings to code scanning", "github/codeql-action/upload-sarif",
                            {{"sarif_file", "trivy-" + img.slug + ".sarif"}, {"category", "trivy-" + img.slug}});
    up.set("if", "${{ always() && steps.scan.outcome != 'skipped' }}");
    steps.push(std::move(up));
  }
  // Only a scanned image leaves the job, and only on a run that deploys.
  YamlNode keep = uses_step(
      "Keep the scanned image", "actions/upload-artifact",
      {{"name", "image-" + img.slug}, {"path", archive}, {"retention-days", "7"}, {"if-no-files-found", "error"}});
  keep.set("if", "${{ github.event_name != 'pull_request' }}");
  steps.push(std::move(keep));
  return j;
}

// The repository's own scanners: leaked secrets in the pushed commits (GitGuardian) and the code's
// quality (SonarQube, waiting for its quality gate when the pipeline asks). Both need the history.
YamlNode repository_scan_job(const Pipeline& p) {
  YamlNode j = job_base("scan the repository", 30, {{"contents", "read"}});
  YamlNode& c = j.child("concurrency");
  c.set("group", p.platform + "-scan-${{ github.ref }}");
  c.set("cancel-in-progress", YamlNode::boolean(true));
  YamlNode& steps = j.set("steps", YamlNode::seq());
  steps.push(
      uses_step("Check out the history", "actions/checkout", {{"fetch-depth", "0"}, {"persist-credentials", "false"}}));
  if (p.gitguardian) {
    YamlNode gg = uses_step("Leaked secrets (GitGuardian)", "gitguardian/ggshield-action");
    gg.set("env", map_of({{"GITHUB_PUSH_BEFORE_SHA", "${{ github.event.before }}"},
                          {"GITHUB_PUSH_BASE_SHA", "${{ github.event.base }}"},
                          {"GITHUB_PULL_BASE_SHA", "${{ github.event.pull_request.base.sha }}"},
                          {"GITHUB_DEFAULT_BRANCH", "${{ github.event.repository.default_branch }}"},
                          {"GITGUARDIAN_API_KEY", "${{ secrets.GITGUARDIAN_API_KEY }}"}}));
    steps.push(std::move(gg));
  }
  if (p.sonarqube) {
    Env with;
    if (p.sonar_quality_gate) with.push_back({"args", "-Dsonar.qualitygate.wait=true"});
    YamlNode sq = uses_step(p.sonar_quality_gate ? "SonarQube analysis and quality gate" : "SonarQube analysis",
                            "sonarsource/sonarqube-scan-action", with);
    sq.set("env",
           map_of({{"SONAR_TOKEN", "${{ secrets.SONAR_TOKEN }}"}, {"SONAR_HOST_URL", "${{ vars.SONAR_HOST_URL }}"}}));
    steps.push(std::move(sq));
  }
  return j;
}

YamlNode validate_job(const Pipeline& p) {
  YamlNode j = job_base("terraform validate", 15, {{"contents", "read"}});
  YamlNode& steps = j.set("steps", YamlNode::seq());
  steps.push(checkout_step());
  steps.push(uses_step("Set up Terraform", "hashicorp/setup-terraform",
                       {{"terraform_version", std::string(kTerraformVersion)}, {"terraform_wrapper", "false"}}));
  std::string script = "set -euo pipefail\n";
  for (const auto& e : p.environments)
    script += "terraform -chdir=\"$PLATC_OUT/" + terraform_dir(e) + "\" init -backend=false -input=false\n" +
              "terraform -chdir=\"$PLATC_OUT/" + terraform_dir(e) + "\" validate\n";
  script += "terraform fmt -check -recursive \"$PLATC_OUT/terraform\"\n";
  steps.push(run_step("Validate every environment's module", script));
  return j;
}

std::string terraform_script(const Environment& e) {
  std::string s = "set -euo pipefail\n";
  if (e.d.target().cloud == contract::Cloud::Aws && e.databases)
    s += "curl -fsS --proto '=https' -o \"$RUNNER_TEMP/rds-ca.pem\" \\\n"
         "  \"https://truststore.pki.rds.amazonaws.com/" +
         e.d.region() + "/" + e.d.region() +
         "-bundle.pem\"\n"
         "TF_VAR_rds_ca_bundle=\"$(cat \"$RUNNER_TEMP/rds-ca.pem\")\"\nexport TF_VAR_rds_ca_bundle\n";
  s += terraform_init(e);
  s += "terraform plan -input=false";
  for (const auto& a : terraform_args(e)) s += " " + a;
  s += " -out=plan.tfplan\n";
  s += "{\n  echo '### Terraform plan: " + e.g->environment +
       "'\n  echo '```'\n"
       "  terraform show -no-color plan.tfplan | tail -c 60000\n  echo '```'\n} >> \"$GITHUB_STEP_SUMMARY\"\n";
  s += "terraform apply -input=false plan.tfplan\n";
  // What only exists once applied (the workload identities' role ARNs or client ids): the Helm
  // step reads it from here. Outputs hold no secret values (outputs.tf).
  if (!e.d.target().identity_output.empty()) s += "terraform output -json > \"$RUNNER_TEMP/terraform-outputs.json\"\n";
  return s;
}

YamlNode deploy_job(const Pipeline& p, std::size_t k, const std::vector<std::string>& builds) {
  const Environment& e = p.environments[k];
  const contract::Deployment& d = e.d;
  YamlNode j = job_base("deploy " + e.g->environment, 90, {{"contents", "read"}, {"id-token", "write"}});
  YamlNode needs = YamlNode::seq();
  if (k == 0) {
    for (const auto& b : builds) needs.push(YamlNode::str(b));
    needs.push(YamlNode::str("validate"));
  } else {
    needs.push(YamlNode::str("deploy-" + contract::object_name(p.environments[k - 1].g->environment)));
  }
  j.set("needs", std::move(needs));
  j.set("if", "${{ github.event_name != 'pull_request' }}");
  YamlNode& env = j.child("environment");
  env.set("name", d.github_environment());
  if (!e.smoke.empty()) env.set("url", e.smoke.front().url.substr(0, e.smoke.front().url.find('/', 8)));
  // Two deploys of one environment never overlap; a newer one waits, and replaces a waiting one.
  YamlNode& c = j.child("concurrency");
  c.set("group", p.platform + "-deploy-" + d.github_environment());
  c.set("cancel-in-progress", YamlNode::boolean(false));
  j.set("env", map_of({{"RELEASE", d.release()}, {"NAMESPACE", d.ns()}, {"IMAGE_TAG", "${{ github.sha }}"}}));
  YamlNode& steps = j.set("steps", YamlNode::seq());
  steps.push(checkout_step());
  steps.push(uses_step("Set up Terraform", "hashicorp/setup-terraform",
                       {{"terraform_version", std::string(kTerraformVersion)}, {"terraform_wrapper", "false"}}));
  steps.push(uses_step("Set up Helm", "azure/setup-helm", {{"version", std::string(kHelmVersion)}}));

  cloud_login(steps, e, d.terraform_identity(), "terraform-login");
  YamlNode tf = run_step("Terraform plan and apply (" + terraform_dir(e) + ")", terraform_script(e), terraform_env(e));
  tf.set("working-directory", "${{ env.PLATC_OUT }}/" + terraform_dir(e));
  steps.push(std::move(tf));

  cloud_login(steps, e, d.deploy_identity(), "deploy-login");
  std::string registry = registry_login(steps, e);
  if (!p.images.empty()) {
    steps.push(uses_step("Fetch the scanned images", "actions/download-artifact",
                         {{"pattern", "image-*"}, {"path", "${{ runner.temp }}/images"}, {"merge-multiple", "true"}}));
    std::string push = "set -euo pipefail\n";
    for (const auto& img : p.images) {
      // Tags are immutable in the registry: a re-run finds the commit's image there already.
      push += "ref=\"docker://$REGISTRY/" + img.repository + ":$IMAGE_TAG\"\n";
      push += "skopeo inspect \"$ref\" >/dev/null 2>&1 || skopeo copy --all \\\n  \"oci-archive:$RUNNER_TEMP/images/" +
              img.slug + ".tar\" \"$ref\"\n";
    }
    steps.push(run_step("Push the images, tagged with the commit", push, {{"REGISTRY", registry}}));
  }
  kube_credentials(steps, e);

  // The release's revision before this deploy: what a rollback returns to.
  YamlNode prev = run_step("Current revision",
                           "set -euo pipefail\n"
                           "revision=\"$(helm history \"$RELEASE\" -n \"$NAMESPACE\" --max 1 -o json 2>/dev/null "
                           "| jq -r '.[0].revision // 0' || echo 0)\"\n"
                           "echo \"revision=${revision:-0}\" >> \"$GITHUB_OUTPUT\"\n");
  prev.set("id", "previous");
  steps.push(std::move(prev));

  std::string chart = "$PLATC_OUT/helm/" + d.chart();
  std::string helm = "set -euo pipefail\n";
  std::string_view output = d.target().identity_output;
  if (!output.empty())
    helm += "# Each ServiceAccount's cloud identity as Terraform created it (output " + std::string(output) +
            "): its\n# annotation in the chart holds a placeholder until the identity exists.\n"
            "jq '{workloads: ((." +
            std::string(output) + ".value // {}) | map_values({serviceAccount: {annotations: {\"" +
            std::string(d.target().identity_annotation) +
            "\": .}}}))}' \\\n"
            "  \"$RUNNER_TEMP/terraform-outputs.json\" > \"$RUNNER_TEMP/identities.json\"\n";
  // Hook jobs run inside the upgrade, as the chart's Helm hooks; a failure of one rolls back.
  if (!e.pre_deploy.empty())
    helm += "# pre_deploy jobs (" + join(e.pre_deploy, ", ") + ") run before any workload rolls out.\n";
  if (!e.post_deploy.empty())
    helm += "# post_deploy jobs (" + join(e.post_deploy, ", ") + ") run once every rollout is ready.\n";
  if (!e.pre_deploy.empty() || !e.post_deploy.empty())
    helm += "# A failing hook job rolls the release back (--atomic).\n";
  helm += "helm upgrade --install \"$RELEASE\" \"" + chart +
          "\" \\\n  --namespace \"$NAMESPACE\" --set namespace.create=false \\\n";
  helm += "  --values \"" + chart + "/values-" + e.g->environment + ".yaml\" \\\n";
  if (!output.empty()) helm += "  --values \"$RUNNER_TEMP/identities.json\" \\\n";
  // The ARN an AWS database's ExternalSecret finds RDS's password secret by holds the account.
  bool account_value = e.d.target().cloud == contract::Cloud::Aws && e.databases && e.d.account().empty();
  if (account_value) helm += "  --set-string \"aws.account=$AWS_ACCOUNT_ID\" \\\n";
  for (const auto& img : p.images)
    for (const auto& w : img.workloads)
      helm += "  --set-string \"workloads." + w + ".image.repository=$REGISTRY/" + img.repository +
              "\" --set-string \"workloads." + w + ".image.tag=$IMAGE_TAG\" \\\n" +
              // The `app.kubernetes.io/version` label says what runs (never part of a selector).
              "  --set-string \"workloads." + w + ".version=$IMAGE_TAG\" \\\n";
  helm += "  --atomic --wait --wait-for-jobs --timeout 15m\n";
  std::vector<std::pair<std::string, std::string>> helm_env = {{"REGISTRY", registry}};
  if (account_value) helm_env.push_back({"AWS_ACCOUNT_ID", "${{ vars.AWS_ACCOUNT_ID }}"});
  YamlNode up = run_step("Helm upgrade " + d.release(), helm, helm_env);
  up.set("id", "rollout");
  steps.push(std::move(up));

  if (!e.pre_deploy.empty() || !e.post_deploy.empty()) {
    std::string logs;
    for (const auto& list : {e.pre_deploy, e.post_deploy})
      for (const auto& job : list)
        logs += "kubectl logs -n \"$NAMESPACE\" \"job/" + job + "\" --all-containers --tail=200 || true\n";
    YamlNode l = run_step("Hook job logs", logs);
    l.set("if", "${{ always() && steps.rollout.outcome != 'skipped' }}");
    steps.push(std::move(l));
  }

  if (p.smoke_test && !e.smoke.empty()) {
    std::string smoke = "set -euo pipefail\nfailed=0\nfor url in";
    for (const auto& s : e.smoke) smoke += " \\\n  \"" + s.url + "\"";
    smoke +=
        "; do\n"
        "  code=\"$(curl -sS -o /dev/null -w '%{http_code}' --retry 10 --retry-delay 6 --retry-all-errors \\\n"
        "    --max-time 10 \"$url\" || true)\"\n"
        "  echo \"$url -> $code\"\n"
        "  case \"$code\" in 2[0-9][0-9]) ;; *) failed=1 ;; esac\n"
        "done\n"
        "exit \"$failed\"\n";
    steps.push(run_step("Smoke test: every exposed service's readiness path", smoke));
  }
  if (p.rollback) {
    YamlNode rb =
        run_step("Roll back to revision ${{ steps.previous.outputs.revision }}",
                 "set -euo pipefail\n"
                 "if [ \"$PREVIOUS\" -gt 0 ]; then\n"
                 "  helm rollback \"$RELEASE\" \"$PREVIOUS\" -n \"$NAMESPACE\" --wait --timeout 10m\n"
                 "else\n"
                 "  echo \"::error::first release of $RELEASE failed after its rollout; nothing to roll back to\"\n"
                 "fi\n"
                 "exit 1\n",
                 {{"PREVIOUS", "${{ steps.previous.outputs.revision }}"}});
    rb.set("if", "${{ failure() && steps.rollout.outcome == 'success' }}");
    steps.push(std::move(rb));
  }
  return j;
}

}  // namespace

YamlNode delivery_workflow(const Pipeline& p) {
  YamlNode w = YamlNode::map();
  w.set("name", p.platform + " delivery");
  w.set("on", triggers(p));
  w.set("permissions", YamlNode::map());
  w.set("env", map_of({{"PLATC_PLATFORM", "${{ vars.PLATC_PLATFORM || '.' }}"},
                       {"PLATC_OUT", "${{ vars.PLATC_OUT || 'out' }}"}}));
  YamlNode& jobs = w.child("jobs");
  std::vector<std::string> builds;
  for (const auto& img : p.images) {
    builds.push_back("build-" + img.slug);
    jobs.set(builds.back(), build_job(p, img));
  }
  if (p.gitguardian || p.sonarqube) {
    builds.push_back("scan-repository");
    jobs.set("scan-repository", repository_scan_job(p));
  }
  jobs.set("validate", validate_job(p));
  for (std::size_t k = 0; k < p.environments.size(); ++k)
    jobs.set("deploy-" + contract::object_name(p.environments[k].g->environment), deploy_job(p, k, builds));
  add_plan_jobs(jobs, p);
  tidy(w);
  return w;
}

}  // namespace platc::github
