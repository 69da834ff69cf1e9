// Identities, least privilege from the graph's edges: one service account per workload
// (`<workload>-identity`, the account its ServiceAccount's `iam.gke.io/gcp-service-account` names),
// which exactly that Kubernetes ServiceAccount may impersonate through Workload Identity, with
// roles on exactly the buckets, queues and Kafka cluster it references (granted on each resource,
// never on the project, except Kafka, whose client role is granted on the project with a
// condition naming the cluster); the External Secrets Operator's account, which may read exactly
// the secrets of secrets.cpp; the pipeline's deploy account through a Workload Identity Federation
// pool trusting GitHub's OIDC tokens of one repository and environment.
#include <utility>

#include "backends/terraform_gcp/families.h"

namespace platc::terraform_gcp {

using graph::Node;

namespace {

void account(hcl::File& f, const Context& c, const std::string& label, const std::string& id, const std::string& what,
             const std::string& ns, const std::string& sa) {
  hcl::Block& a = f.block("resource", {"google_service_account", label});
  a.body.attr("account_id", id);
  a.body.attr("display_name", what);
  a.body.attr("description", "platc " + c.prefix + ": Kubernetes ServiceAccount " + ns + "/" + sa);
  hcl::Block& wi = f.block("resource", {"google_service_account_iam_member", label + "_workload_identity"});
  wi.body.attr("service_account_id", Expr::ref("google_service_account." + label + ".name"));
  wi.body.attr("role", "roles/iam.workloadIdentityUser");
  wi.body.attr("member", workload_member(c, ns, sa));
  wi.body.attr("depends_on", Expr::tuple({Expr::ref(std::string(kCluster))}));
}

void grants(hcl::File& f, const Context& c, const Node& w, const std::string& label) {
  for (const Node* b : c.targets_of(w, "bucket")) {
    hcl::Block& m = f.block("resource", {"google_storage_bucket_iam_member", label + "_" + Context::label(b->id)});
    m.body.attr("bucket", Expr::ref("google_storage_bucket." + Context::label(b->id) + ".name"));
    m.body.attr("role", "roles/storage.objectUser");
    m.body.attr("member", member_of(label));
  }
  for (const Node* q : c.targets_of(w, "queue")) {
    std::string ql = Context::label(q->id);
    hcl::Block& p = f.block("resource", {"google_pubsub_topic_iam_member", label + "_" + ql});
    p.body.attr("topic", Expr::ref("google_pubsub_topic." + ql + ".id"));
    p.body.attr("role", "roles/pubsub.publisher");
    p.body.attr("member", member_of(label));
    hcl::Block& s = f.block("resource", {"google_pubsub_subscription_iam_member", label + "_" + ql});
    s.body.attr("subscription", Expr::ref("google_pubsub_subscription." + ql + ".id"));
    s.body.attr("role", "roles/pubsub.subscriber");
    s.body.attr("member", member_of(label));
  }
  if (!c.targets_of(w, "topic").empty()) {
    hcl::Block& k = f.block("resource", {"google_project_iam_member", label + "_kafka"});
    k.body.attr("project", Expr::ref("var.project"));
    k.body.attr("role", "roles/managedkafka.client");
    k.body.attr("member", member_of(label));
    hcl::Block& cond = k.body.block("condition");
    cond.body.attr("title", "the platform's Kafka cluster");
    cond.body.attr("expression", Expr::tmpl({Expr::str("resource.name.startsWith(\""),
                                             Expr::ref("google_managed_kafka_cluster.main.id"), Expr::str("\")")}));
  }
}

// The account the pipeline plans this module with on a pull request, which exactly the
// pull-request jobs of this repository may impersonate (their subject, bound to no GitHub
// environment). roles/viewer reads every resource's configuration but no secret's payload
// (secretmanager.versions.access is not in it); the state's objects are read from the state bucket.
void github_plan(Context& c, hcl::File& f) {
  Expr bucket = c.var({"terraform_state_bucket", "string",
                       "The Terraform state bucket (the backend's `bucket`): the plan account reads the state from it.",
                       std::nullopt, std::nullopt, false});
  hcl::Block& a = f.block("resource", {"google_service_account", "plan"});
  a.body.attr("account_id", c.d.plan_identity());
  a.body.attr("display_name", "GitHub plan of " + c.prefix + " (read-only, pull requests)");
  hcl::Block& wi = f.block("resource", {"google_service_account_iam_member", "plan_github"});
  wi.body.attr("service_account_id", Expr::ref("google_service_account.plan.name"));
  wi.body.attr("role", "roles/iam.workloadIdentityUser");
  wi.body.attr("member",
               Expr::tmpl({Expr::str("principal://iam.googleapis.com/"),
                           Expr::ref("google_iam_workload_identity_pool.github.name"), Expr::str("/subject/repo:"),
                           Expr::ref("var.github_repository"), Expr::str(":pull_request")}));
  hcl::Block& v = f.block("resource", {"google_project_iam_member", "plan_viewer"});
  v.body.attr("project", Expr::ref("var.project"));
  v.body.attr("role", "roles/viewer");
  v.body.attr("member", member_of("plan"));
  // The plan runs with -lock=false: it never writes the lock object beside the state.
  hcl::Block& s = f.block("resource", {"google_storage_bucket_iam_member", "plan_state"});
  s.body.attr("bucket", bucket);
  s.body.attr("role", "roles/storage.objectViewer");
  s.body.attr("member", member_of("plan"));
  c.file("outputs.tf")
      .block("output", {"plan_service_account"})
      .body.attr("value", Expr::ref("google_service_account.plan.email"));
}

void github_deploy(Context& c, hcl::File& f) {
  c.var({"github_repository", "string", "The GitHub repository (`owner/name`) whose workflow deploys this environment.",
         std::nullopt, Expr::str("example/" + contract::object_name(c.g.platform)), false});
  hcl::Block& pool = f.block("resource", {"google_iam_workload_identity_pool", "github"});
  pool.body.attr("workload_identity_pool_id", "github");
  pool.body.attr("display_name", "GitHub Actions");
  hcl::Block& p = f.block("resource", {"google_iam_workload_identity_pool_provider", "github"});
  p.body.attr("workload_identity_pool_id",
              Expr::ref("google_iam_workload_identity_pool.github.workload_identity_pool_id"));
  p.body.attr("workload_identity_pool_provider_id", "github");
  p.body.attr("display_name", "GitHub Actions OIDC");
  p.body.attr("attribute_mapping", Expr::object()
                                       .set("google.subject", "assertion.sub")
                                       .set("attribute.repository", "assertion.repository")
                                       .set("attribute.environment", "assertion.environment"));
  // Tokens of any other repository are refused by the provider itself.
  p.body.attr("attribute_condition", Expr::tmpl({Expr::str("assertion.repository == \""),
                                                 Expr::ref("var.github_repository"), Expr::str("\"")}));
  p.body.block("oidc").body.attr("issuer_uri", "https://token.actions.githubusercontent.com");

  // The pipeline's two identities (the contract's names, which the GitHub workflow logs in as):
  // one pushes images and upgrades the release, one plans and applies this module.
  const std::pair<std::string, std::string> pipeline[] = {{"deploy", c.d.deploy_identity()},
                                                          {"terraform", c.d.terraform_identity()}};
  for (const auto& [label, id] : pipeline) {
    hcl::Block& a = f.block("resource", {"google_service_account", label});
    a.body.attr("account_id", id);
    a.body.attr("display_name", "GitHub " + label + " of " + c.prefix);
    hcl::Block& wi = f.block("resource", {"google_service_account_iam_member", label + "_github"});
    wi.body.attr("service_account_id", Expr::ref("google_service_account." + label + ".name"));
    wi.body.attr("role", "roles/iam.workloadIdentityUser");
    // Exactly the workflow jobs of this repository that run in this GitHub environment.
    wi.body.attr("member", Expr::tmpl({Expr::str("principal://iam.googleapis.com/"),
                                       Expr::ref("google_iam_workload_identity_pool.github.name"),
                                       Expr::str("/subject/repo:"), Expr::ref("var.github_repository"),
                                       Expr::str(":environment:" + c.d.github_environment())}));
  }
  // What applying this module needs, as predefined roles of the services it uses (no basic
  // role). A budget also needs roles/billing.costsManager on the billing account, which is
  // outside the project: the operator grants it (README).
  hcl::Block& tr = f.block("resource", {"google_project_iam_member", "terraform"});
  std::vector<std::string> roles = {"roles/artifactregistry.admin",
                                    "roles/cloudsql.admin",
                                    "roles/compute.networkAdmin",
                                    "roles/container.admin",
                                    "roles/dns.admin",
                                    "roles/iam.serviceAccountAdmin",
                                    "roles/iam.serviceAccountUser",
                                    "roles/iam.workloadIdentityPoolAdmin",
                                    "roles/managedkafka.admin",
                                    "roles/monitoring.admin",
                                    "roles/pubsub.admin",
                                    "roles/redis.admin",
                                    "roles/resourcemanager.projectIamAdmin",
                                    "roles/secretmanager.admin",
                                    "roles/servicenetworking.networksAdmin",
                                    "roles/serviceusage.serviceUsageAdmin",
                                    "roles/storage.admin"};
  // The key ring, the key and the service agents' grants on it (kms.tf).
  if (uses_cmek(c)) roles.insert(roles.begin() + 1, "roles/cloudkms.admin");
  tr.body.attr("for_each", Expr::call("toset", {Expr::strings(roles)}));
  tr.body.attr("project", Expr::ref("var.project"));
  tr.body.attr("role", Expr::ref("each.value"));
  tr.body.attr("member", member_of("terraform"));
  if (!c.repositories().empty()) {
    hcl::Block& w = f.block("resource", {"google_artifact_registry_repository_iam_member", "deploy"});
    w.body.attr("repository", Expr::ref("google_artifact_registry_repository.images.name"));
    w.body.attr("location", c.region);
    w.body.attr("role", "roles/artifactregistry.writer");
    w.body.attr("member", member_of("deploy"));
  }
  // Enough to fetch the cluster's credentials; what it may do inside is Kubernetes RBAC (the
  // environment's namespace: ../README.md).
  hcl::Block& k = f.block("resource", {"google_project_iam_member", "deploy_cluster"});
  k.body.attr("project", Expr::ref("var.project"));
  k.body.attr("role", "roles/container.clusterViewer");
  k.body.attr("member", member_of("deploy"));

  if (contract::plans_pull_requests(c.g)) github_plan(c, f);

  hcl::File& o = c.file("outputs.tf");
  o.block("output", {"deploy_service_account"}).body.attr("value", Expr::ref("google_service_account.deploy.email"));
  o.block("output", {"workload_identity_provider"})
      .body.attr("value", Expr::ref("google_iam_workload_identity_pool_provider.github.name"));
}

}  // namespace

void identity_files(Context& c) {
  hcl::File& f = c.file("identity.tf");
  for (const Node* w : c.workloads()) {
    c.note_source(w);
    std::string k8s = contract::object_name(w->id);
    std::string l = "workload_" + Context::label(w->id);
    account(f, c, l, c.d.identity(k8s), "workload " + w->id, c.ns, k8s);
    grants(f, c, *w, l);
  }
  // The External Secrets Operator (Helm chart defaults: namespace and ServiceAccount
  // `external-secrets`) reads exactly the secrets of this environment, each granted on itself.
  account(f, c, "external_secrets", eso_account(c.g), "External Secrets Operator", "external-secrets",
          "external-secrets");
  for (const auto& l : c.secret_labels) {
    hcl::Block& m = f.block("resource", {"google_secret_manager_secret_iam_member", "external_secrets_" + l});
    m.body.attr("secret_id", Expr::ref("google_secret_manager_secret." + l + ".id"));
    m.body.attr("role", "roles/secretmanager.secretAccessor");
    m.body.attr("member", member_of("external_secrets"));
  }
  hcl::File& o = c.file("outputs.tf");
  o.block("output", {"external_secrets_service_account"})
      .body.attr("value", Expr::ref("google_service_account.external_secrets.email"));
  github_deploy(c, f);
}

}  // namespace platc::terraform_gcp
