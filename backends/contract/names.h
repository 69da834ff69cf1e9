// The deployment contract: every name that one artifact creates and another reads, defined once.
// The Kubernetes manifests read connection Secrets that the secret store fills from entries the
// cloud side writes, run as identities the cloud side trusts, pull images the pipeline pushes,
// and dashboards query cloud resources by name. If each backend spelled these itself, one
// backend's output would point at things another never creates; so every backend asks here.
// What each name looks like, and why, is in docs/backends.md ("The deployment contract").
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "backends/contract/target.h"
#include "compiler/graph/graph.h"

namespace platc::contract {

// The Kubernetes name of a block (`collector_sec` -> `collector-sec`): lower case, `_` as `-`.
// Empty when the result is not a DNS-1123 label (the backends' check steps report it).
std::string object_name(std::string_view id);

// The Secret through which workloads read a data store's deploy-time outputs, one key per output
// (`url`, `host`, `port`, `brokers` …): `<name>-connection`.
std::string connection_secret(std::string_view id);
// The Secret of a workload's own values that look like secrets (graph::Value::secret): one key
// per value, named by its attribute path (`env.API_KEY`, `args.2`): `<name>-env-secret`.
std::string env_secret(std::string_view workload);
// The Ingress of a public host, shared by every service exposed on it: the host itself (a DNS
// subdomain, as an Ingress name must be), with a leading `*` as `wildcard`.
std::string ingress_name(std::string_view host);
// A data store's CA bundle, for clients that verify its server certificate (`${main.ca_file}`):
// the key `ca_cert` of its connection Secret, mounted read-only as `ca.pem` in the directory
// `/etc/platc/tls/<name>` of each workload that reads it.
inline constexpr std::string_view kCaKey = "ca_cert";
inline constexpr std::string_view kCaRoot = "/etc/platc/tls/";
inline constexpr std::string_view kCaFile = "ca.pem";
std::string ca_directory(std::string_view id);
// The copy of a Secret (or ServiceAccount, ConfigMap …) a pre-deploy hook reads: `<name>-hook`.
std::string hook_copy(std::string_view name);

// The registry and tag of `build("./dir")` images before the pipeline pushes them: `.invalid`
// (RFC 2606) never resolves, so a manifest applied before the pipeline ran fails to pull instead
// of pulling a stranger's image; the tag is fixed (never `latest`). See docs/design-notes.md.
inline constexpr std::string_view kBuildRegistry = "registry.platc.invalid";
inline constexpr std::string_view kDevTag = "0.0.0-dev";

// Whether the graph's `pipeline` runs on pull requests (`on = pull_request(…)`): then the GitHub
// workflow plans every environment of the deploy chain on each pull request, as the environment's
// plan_identity(), which the Terraform output creates.
bool plans_pull_requests(const graph::Graph& g);

// One environment of a platform on one target: the scope of every cloud-side name.
class Deployment {
 public:
  Deployment(std::string platform, std::string environment, std::string_view target);
  // The deployment a graph describes: its platform (the `platform` block's name), environment and
  // target, and the platform's region there.
  explicit Deployment(const graph::Graph& g);

  const std::string& platform() const { return platform_; }        // as written: `Acme`
  const std::string& environment() const { return environment_; }  // as written: `prod_eu`
  const Target& target() const { return *target_; }
  // The platform's region on this target (`region = { aws = "eu-west-1", … }` picks the target's
  // entry): `${env.region}`, a bucket's `region`, the providers' region. Empty when unknown.
  const std::string& region() const { return region_; }

  // The namespace of the environment, and the Helm release installed into it:
  // `<platform>-<environment>`. Empty when it cannot be a Kubernetes name.
  std::string ns() const;
  std::string release() const { return ns(); }
  // The Helm chart of the platform (`helm/<chart>/`): the platform's Kubernetes name.
  std::string chart() const { return object_name(platform_); }

  // `<platform>-<env>` in Kubernetes spelling: the first part of every cloud-side name.
  std::string prefix() const;
  // The Azure resource group of the environment, and the Service Bus namespace that holds its
  // queues: `<platform>-<env>` both.
  std::string resource_group() const { return prefix(); }
  std::string messaging_namespace() const { return prefix(); }
  // The uid of a dashboard in Grafana: `<platform>-<env>-<name>`.
  std::string dashboard_uid(std::string_view id) const;

  // The name of a cloud resource (database, cache, topic, queue, bucket) in its provider:
  // `<platform>-<env>-<name>`; an Azure storage account drops the hyphens and keeps 24
  // characters (3-24 lower-case letters and digits); an AWS FIFO queue ends in `.fifo`.
  std::string cloud_name(const graph::Node& resource) const;
  // What `${x.name}` is for the resource `x` here, the name the artifact that creates it gives it:
  // the Kubernetes name of workloads, secrets and dashboards; the cloud name (`cloud_name`) of
  // buckets, caches and queues; the block's name for databases (the database inside the
  // instance) and topics (the topic on the cluster). One definition for every backend.
  std::string output_name(const graph::Node& resource) const;
  // An output of a data store that is known before anything is deployed, so a workload reads it
  // from its ConfigMap rather than the connection Secret: `name`, a database's `database`,
  // `tls_mode` (the client setting that verifies the server: `verify-full` for postgres,
  // `VERIFY_IDENTITY` for mysql), `ca_file` (`ca_directory(id)/ca.pem`) and `port`; a cache's `port`
  // (per cloud and TLS, as the NetworkPolicies open it) and `tls`; a bucket's `url`,
  // `endpoint` (the storage API to point an SDK at) and `region`. Empty for outputs
  // that exist only after `terraform apply` (`url`, `host`, `password` …).
  std::optional<std::string> known_output(const graph::Node& resource, std::string_view output) const;
  // `${env.OUTPUT}` when it depends on the target (`region`); sema substitutes the others.
  std::optional<std::string> environment_output(std::string_view output) const;
  // The secret-store entry holding a resource's deploy-time outputs, a JSON object with one
  // property per output: `<platform>-<env>-<name>-connection`. Letters, digits and hyphens only,
  // valid in Secrets Manager, Secret Manager and Key Vault alike.
  std::string connection_entry(std::string_view id) const;
  // A workload's cloud identity (IAM role for IRSA, Azure managed identity):
  // `<platform>-<env>-<workload>`, from the workload's Kubernetes name; on GCP the service
  // account id `<workload>-identity` (in the environment's project `<platform>-<env>`).
  std::string identity(std::string_view workload) const;
  // The IAM role ARN (AWS) or service account e-mail (GCP) a ServiceAccount is annotated with.
  std::string identity_reference(std::string_view workload) const;
  // The ARN of a database's RDS instance (AWS): `arn:aws:rds:<region>:<account>:db:<cloud_name>`.
  // RDS tags the master-password secret it manages with it (`aws:rds:primaryDBInstanceArn`), which
  // is how the database's ExternalSecret finds that secret, whose name RDS makes up. Without a
  // declared account the account is a placeholder, which the pipeline replaces (the chart's
  // `aws.account` value).
  std::string rds_instance_arn(const graph::Node& database) const;
  // The tag RDS puts on the secret of a DB instance's managed master password.
  static constexpr std::string_view kRdsSecretTag = "aws:rds:primaryDBInstanceArn";
  // Where an AWS account id is not declared, what stands in for it.
  static constexpr std::string_view kPlaceholderAccount = "000000000000";
  // The certificate the Ingress of a public host presents, one per host however many services
  // share it: `<platform>-<env>-<host>`, the host's dots as `-` and a leading `*` as `wildcard`
  // (`shop-prod-app-example-com`).
  std::string certificate(std::string_view host) const;
  // The image reference of `build("./path")` for the block `id`:
  // `<registry>/<platform>/<path>:<tag>`, the path made a valid repository (or the block's name).
  std::string build_image(std::string_view path, std::string_view id) const;
  // The repository part of build_image (`<platform>/<path>`): the ECR repository the AWS
  // Terraform creates, the image path below an Artifact Registry repository or an ACR, and what
  // the pipeline pushes to and sets as the Helm values' `image.repository` after its registry.
  std::string build_repository(std::string_view path, std::string_view id) const;

  // The pipeline (GitHub Actions) and the identities the cloud side creates for it.
  // The GitHub environment a deploy of this environment runs in: its name as written. The OIDC
  // token of such a job has the subject `repo:<owner>/<name>:environment:<this>`, which every
  // deploy identity's trust is limited to.
  const std::string& github_environment() const { return environment_; }
  // The Kubernetes cluster (EKS, GKE, AKS) of the environment: `<platform>-<env>`.
  std::string cluster() const { return prefix(); }
  // The identity the pipeline pushes images and upgrades the Helm release with (AWS IAM role,
  // GCP service account id, Azure user-assigned identity): `<platform>-<env>-deploy`.
  std::string deploy_identity() const { return pipeline_identity("deploy"); }
  // The identity the pipeline runs `terraform plan` and `apply` of the environment's module with:
  // `<platform>-<env>-terraform`. Created by the module itself, so the first apply is a person's.
  std::string terraform_identity() const { return pipeline_identity("terraform"); }
  // The read-only identity the pipeline runs `terraform plan` of the environment's module with on
  // a pull request: `<platform>-<env>-plan`. It is trusted by the subject of a pull request's
  // jobs, `repo:<owner>/<name>:pull_request` (such a job is bound to no GitHub environment, so
  // no protection rule gates it), which is why it may read but never write, and never read a
  // secret's value. Created only when plans_pull_requests().
  std::string plan_identity() const { return pipeline_identity("plan"); }
  // The GCP project of the environment: `<platform>-<env>` (workload identities live in it).
  std::string gcp_project() const { return account_.empty() ? prefix() : account_; }
  // The environment's `account` on this target (accounts.h): the AWS account id, the GCP project
  // id, the Azure subscription id; empty when the platform does not name it.
  const std::string& account() const { return account_; }
  // The registry that holds the environment's `build()` images, by target: empty on AWS (ECR has
  // one repository per image, build_repository), the Artifact Registry repository id on GCP
  // (`<platform>`, docker format, in gcp_project() and the region), the ACR name on Azure
  // (`<platform><env>`: letters and digits only, as ACR requires).
  std::string container_registry() const;
  // The Workload Identity Federation pool and provider GitHub's tokens are exchanged through on
  // GCP, in gcp_project(): `github` and `github`.
  static constexpr std::string_view kGithubPool = "github";
  static constexpr std::string_view kGithubProvider = "github";

 private:
  // `<platform>-<env>-<role>`. On GCP, where a service account id has at most 30 characters, a
  // longer one becomes `<prefix cut>-<4 hex digits of its hash>-<role>`: stable, still naming its
  // role, and read by the Terraform module and the GitHub workflow alike through the three
  // functions above.
  std::string pipeline_identity(std::string_view role) const;
  std::optional<std::string> bucket_output(const graph::Node& bucket, std::string_view output) const;

  std::string platform_, environment_, region_, account_;
  const Target* target_;
};

}  // namespace platc::contract
