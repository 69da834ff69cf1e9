// The GitHub Actions backend's pins and the contract names the pipeline shares with the Terraform
// backends (issue 17). What the workflows mean is proven by tests/scripts/github_actions.sh.
#include <doctest/doctest.h>

#include <set>
#include <string>

#include "backends/contract/names.h"
#include "backends/github/pins.h"

using namespace platc;

TEST_CASE("github: every pin is a full commit of a release tag") {
  const auto& pins = github::pins();
  REQUIRE(pins.size() >= 10);
  std::set<std::string> seen;
  for (const auto& p : pins) {
    CAPTURE(p.action);
    CHECK(seen.insert(p.action).second);
    CHECK(p.commit.size() == 40);
    CHECK(p.commit.find_first_not_of("0123456789abcdef") == std::string::npos);
    CHECK(p.version.starts_with("v"));
    CHECK(!p.source.empty());
    CHECK(github::uses(p.action) == p.action + "@" + p.commit);
  }
  // The actions the workflows name (steps.cpp, delivery.cpp, lint.cpp): uses() aborts on any other.
  for (const char* a :
       {"actions/checkout", "actions/upload-artifact", "actions/download-artifact", "aquasecurity/trivy-action",
        "aws-actions/amazon-ecr-login", "aws-actions/configure-aws-credentials", "azure/aks-set-context", "azure/login",
        "azure/setup-helm", "docker/build-push-action", "docker/setup-buildx-action", "docker/setup-qemu-action",
        "github/codeql-action/upload-sarif", "google-github-actions/auth", "google-github-actions/get-gke-credentials",
        "google-github-actions/setup-gcloud", "hashicorp/setup-terraform", "gitguardian/ggshield-action",
        "sonarsource/sonarqube-scan-action", "actions/github-script"})
    CHECK(seen.count(a));
}

TEST_CASE("contract: the pipeline's names") {
  contract::Deployment d("Acme_Shop", "prod_eu", "aws");
  CHECK(d.github_environment() == "prod_eu");  // the OIDC subject names it as written
  CHECK(d.cluster() == "acme-shop-prod-eu");
  CHECK(d.deploy_identity() == "acme-shop-prod-eu-deploy");
  CHECK(d.terraform_identity() == "acme-shop-prod-eu-terraform");
  CHECK(d.plan_identity() == "acme-shop-prod-eu-plan");
  CHECK(d.container_registry().empty());  // ECR: one repository per image
  CHECK(d.build_repository("./backend/", "api") == "acme-shop/backend");
  CHECK(d.build_image("./backend", "api") == "registry.platc.invalid/acme-shop/backend:0.0.0-dev");
  CHECK(d.build_repository(".", "web_app") == "acme-shop/web-app");
  contract::Deployment g("acme", "dev", "gcp");
  CHECK(g.gcp_project() == "acme-dev");
  CHECK(g.container_registry() == "acme");
  contract::Deployment z("acme", "dev", "azure");
  CHECK(z.container_registry() == "acmedev");
}
