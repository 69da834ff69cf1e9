// Identities, least privilege from the graph's edges: one user-assigned managed identity per
// workload (`<platform>-<env>-<workload>`), trusted through a federated credential by exactly that
// ServiceAccount's tokens from the cluster's OIDC issuer (AKS workload identity; the
// ServiceAccount's `azure.workload.identity/client-id` is the identity's client id, the output
// `workload_client_ids`), with one role assignment per edge on exactly the resource referenced:
// Storage Blob Data Contributor on a bucket's container, Event Hubs Data Sender and Receiver on a
// topic's event hub, Service Bus Data Sender and Receiver on a queue. The External Secrets Operator's identity may read
// exactly the vault's entries, one assignment per entry; the pipeline's identity pushes images and deploys into the
// environment's namespace only.
#include "backends/terraform_azure/families.h"

namespace platc::terraform_azure {

using graph::Node;

namespace {

const char* const kAudience = "api://AzureADTokenExchange";

std::string identity(hcl::File& f, const std::string& label, const std::string& name) {
  hcl::Block& id = f.block("resource", {"azurerm_user_assigned_identity", label});
  placed(id, name);
  id.body.attr("tags", Expr::ref("local.tags"));
  return "azurerm_user_assigned_identity." + label;
}

void federated(hcl::File& f, const std::string& label, const std::string& id, Expr issuer, Expr subject) {
  hcl::Block& fc = f.block("resource", {"azurerm_federated_identity_credential", label});
  fc.body.attr("name", "kubernetes");
  fc.body.attr("resource_group_name", Expr::ref(std::string(kGroup) + ".name"));
  fc.body.attr("parent_id", Expr::ref(id + ".id"));
  fc.body.attr("audience", Expr::strings({kAudience}));
  fc.body.attr("issuer", std::move(issuer));
  fc.body.attr("subject", std::move(subject));
}

// A managed identity for the ServiceAccount `ns/sa` of the cluster.
std::string service_account_identity(hcl::File& f, const std::string& label, const std::string& name,
                                     const std::string& ns, const std::string& sa) {
  std::string id = identity(f, label, name);
  federated(f, label, id, Expr::ref(std::string(kCluster) + ".oidc_issuer_url"),
            Expr::str("system:serviceaccount:" + ns + ":" + sa));
  return id;
}

// A managed identity the pipeline's jobs of exactly this repository and GitHub environment log in as
// (the subject of their OIDC token: `repo:<owner>/<name>:environment:<env>`).
std::string github_identity(Context& c, hcl::File& f, const std::string& label, const std::string& name, Expr repo) {
  std::string id = identity(f, label, name);
  hcl::Block& fc = f.block("resource", {"azurerm_federated_identity_credential", label});
  fc.body.attr("name", "github-" + contract::object_name(c.g.environment));
  fc.body.attr("resource_group_name", Expr::ref(std::string(kGroup) + ".name"));
  fc.body.attr("parent_id", Expr::ref(id + ".id"));
  fc.body.attr("audience", Expr::strings({kAudience}));
  fc.body.attr("issuer", "https://token.actions.githubusercontent.com");
  fc.body.attr("subject", Expr::tmpl({Expr::str("repo:"), std::move(repo),
                                      Expr::str(":environment:" + c.d.github_environment())}));
  return id;
}

void github_deploy(Context& c, hcl::File& f) {
  Expr repo = c.var({"github_repository", "string",
                     "The GitHub repository (`owner/name`) whose workflow deploys this environment.", std::nullopt,
                     Expr::str("example/" + contract::object_name(c.g.platform)), false});
  std::string id = github_identity(c, f, "deploy", c.d.deploy_identity(), repo);
  // The identity the pipeline runs `terraform plan` and `apply` of this module with: it creates the
  // resource group, the role assignments and everything else here, so it is Owner of the
  // subscription (as the AWS module's is AdministratorAccess). Its first apply is a person's.
  std::string tf = github_identity(c, f, "terraform", c.d.terraform_identity(), repo);
  role(f, "terraform_owner", "Owner",
       Expr::tmpl({Expr::str("/subscriptions/"), Expr::ref(std::string(kClient) + ".subscription_id")}),
       Expr::ref(tf + ".principal_id"), "the pipeline applies this module");
  Expr principal = Expr::ref(id + ".principal_id");
  if (!c.repositories().empty())
    role(f, "deploy_push", "AcrPush", Expr::ref(std::string(kRegistry) + ".id"), principal,
         "the pipeline pushes the images");
  role(f, "deploy_cluster_user", "Azure Kubernetes Service Cluster User Role", Expr::ref(std::string(kCluster) + ".id"),
       principal, "the pipeline fetches the cluster's credentials");
  role(f, "deploy_namespace", "Azure Kubernetes Service RBAC Writer",
       Expr::tmpl({Expr::ref(std::string(kCluster) + ".id"), Expr::str("/namespaces/" + c.ns)}), principal,
       "the pipeline deploys into the environment's namespace, nowhere else");
  hcl::File& o = c.file("outputs.tf");
  o.block("output", {"deploy_client_id"}).body.attr("value", Expr::ref(id + ".client_id"));
  o.block("output", {"terraform_client_id"}).body.attr("value", Expr::ref(tf + ".client_id"));
  o.block("output", {"tenant_id"}).body.attr("value", Expr::ref(std::string(kClient) + ".tenant_id"));
}

}  // namespace

void identity_files(Context& c) {
  hcl::File& f = c.file("identity.tf");
  Expr ids = Expr::object();
  for (const Node* w : c.workloads()) {
    c.note_source(w);
    std::string k8s = contract::object_name(w->id);
    std::string l = "workload_" + Context::label(w->id);
    std::string id = service_account_identity(f, l, c.d.identity(k8s), c.ns, k8s);
    Expr principal = Expr::ref(id + ".principal_id");
    for (const Node* b : c.targets_of(*w, "bucket"))
      role(f, l + "_" + Context::label(b->id), "Storage Blob Data Contributor",
           Expr::ref("azurerm_storage_container." + Context::label(b->id) + ".id"), principal,
           w->id + " reads and writes bucket " + b->id);
    for (const Node* t : c.targets_of(*w, "topic")) {
      std::string hub = "azurerm_eventhub." + Context::label(t->id) + ".id";
      role(f, l + "_" + Context::label(t->id) + "_send", "Azure Event Hubs Data Sender", Expr::ref(hub), principal,
           w->id + " produces to topic " + t->id);
      role(f, l + "_" + Context::label(t->id) + "_receive", "Azure Event Hubs Data Receiver", Expr::ref(hub), principal,
           w->id + " consumes topic " + t->id);
    }
    for (const Node* q : c.targets_of(*w, "queue")) {
      std::string queue = "azurerm_servicebus_queue." + Context::label(q->id) + ".id";
      role(f, l + "_" + Context::label(q->id) + "_send", "Azure Service Bus Data Sender", Expr::ref(queue), principal,
           w->id + " sends to queue " + q->id);
      role(f, l + "_" + Context::label(q->id) + "_receive", "Azure Service Bus Data Receiver", Expr::ref(queue),
           principal, w->id + " receives from queue " + q->id);
    }
    ids.set(k8s, Expr::ref(id + ".client_id"));
  }
  // The External Secrets Operator (Helm chart defaults: namespace and ServiceAccount
  // `external-secrets`) reads exactly the entries of this environment's vault.
  std::string eso = service_account_identity(f, "external_secrets", c.name("external-secrets"), "external-secrets",
                                             "external-secrets");
  for (const auto& e : c.vault_entries)
    role(f, "external_secrets_" + e.label, "Key Vault Secrets User",
         Expr::ref("azurerm_key_vault_secret." + e.label + ".resource_versionless_id"),
         Expr::ref(eso + ".principal_id"), "External Secrets reads " + e.name);
  hcl::File& o = c.file("outputs.tf");
  // The client id each ServiceAccount's `azure.workload.identity/client-id` annotation names.
  o.block("output", {std::string(c.d.target().identity_output)}).body.attr("value", ids);
  o.block("output", {"external_secrets_client_id"}).body.attr("value", Expr::ref(eso + ".client_id"));
  github_deploy(c, f);
}

}  // namespace platc::terraform_azure
