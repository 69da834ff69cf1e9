// The lint workflow: the pinned platc (URL and SHA-256 from repository variables, version checked
// against the platc that wrote the workflow), `platc check --format sarif` uploaded to code
// scanning and failing the job on violations, `platc fmt --check`, and the generated output and
// these workflows compared with a fresh `platc build` (no hand edits, no stale output).
#include "backends/github/steps.h"
#include "backends/github/workflows.h"

namespace platc::github {

YamlNode lint_workflow(const std::optional<Pipeline>& p, const std::string& target) {
  YamlNode w = YamlNode::map();
  w.set("name", "platc check");
  YamlNode& on = w.child("on");
  on.set("pull_request", YamlNode());
  YamlNode branches = YamlNode::seq();
  for (const auto& b : lint_branches(p)) branches.push(YamlNode::str(b));
  on.child("push").set("branches", std::move(branches));
  w.set("permissions", YamlNode::map());
  YamlNode& c = w.child("concurrency");
  c.set("group", "platc-check-${{ github.ref }}");
  c.set("cancel-in-progress", YamlNode::boolean(true));
  w.set("env", map_of({{"PLATC_VERSION", PLATC_VERSION},
                       {"PLATC_PLATFORM", "${{ vars.PLATC_PLATFORM || '.' }}"},
                       {"PLATC_OUT", "${{ vars.PLATC_OUT || 'out' }}"}}));
  YamlNode& j = w.child("jobs").child("check");
  j.set("name", "platc check");
  j.set("runs-on", std::string(kRunner));
  j.set("timeout-minutes", YamlNode::integer(15));
  j.set("permissions", map_of({{"contents", "read"}, {"security-events", "write"}, {"actions", "read"}}));
  YamlNode& steps = j.set("steps", YamlNode::seq());
  steps.push(checkout_step());
  steps.push(
      run_step("Install platc (pinned)",
               "set -euo pipefail\n"
               "curl -fsSL --proto '=https' -o \"$RUNNER_TEMP/platc\" \"$PLATC_RELEASE_URL\"\n"
               "echo \"$PLATC_SHA256  $RUNNER_TEMP/platc\" | sha256sum --check --strict\n"
               "sudo install -m 0755 \"$RUNNER_TEMP/platc\" /usr/local/bin/platc\n"
               "test \"$(platc --version)\" = \"platc $PLATC_VERSION\"\n",
               {{"PLATC_RELEASE_URL", "${{ vars.PLATC_RELEASE_URL }}"}, {"PLATC_SHA256", "${{ vars.PLATC_SHA256 }}"}}));
  YamlNode sarif =
      run_step("Policies (SARIF)", "platc check \"$PLATC_PLATFORM\" --format sarif --fail-on error > platc.sarif\n");
  sarif.set("id", "sarif");
  sarif.set("continue-on-error", YamlNode::boolean(true));
  steps.push(std::move(sarif));
  YamlNode up = uses_step("Upload the findings to code scanning", "github/codeql-action/upload-sarif",
                          {{"sarif_file", "platc.sarif"}, {"category", "platc"}});
  up.set("if", "${{ always() }}");
  steps.push(std::move(up));
  YamlNode fail = run_step("Fail on violations", "platc check \"$PLATC_PLATFORM\" --format github --fail-on error\n");
  fail.set("if", "${{ steps.sarif.outcome == 'failure' }}");
  steps.push(std::move(fail));
  steps.push(run_step("Format", "platc fmt --check \"$PLATC_PLATFORM\"\n"));
  std::string build = "set -euo pipefail\nplatc build \"$PLATC_PLATFORM\" --out \"$RUNNER_TEMP/fresh\"";
  if (!target.empty()) build += " --target " + target;
  build +=
      "\n"
      "diff -r \"$PLATC_OUT\" \"$RUNNER_TEMP/fresh\"\n"
      "# The workflows GitHub runs are the generated ones.\n"
      "for f in \"$RUNNER_TEMP\"/fresh/.github/workflows/*.yml; do\n"
      "  cmp \"$f\" \".github/workflows/$(basename \"$f\")\"\n"
      "done\n";
  steps.push(run_step("Generated output is what platc builds now", build));
  tidy(w);
  return w;
}

}  // namespace platc::github
