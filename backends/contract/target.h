// What each target cloud means to the artifacts, in one table (target.cpp): the secret store the
// ExternalSecrets read, the ingress controller that serves an Ingress, the data-store ports the
// NetworkPolicies open, the monitoring datasource the dashboards query, how a pod gets its
// workload identity. A backend asks the table instead of comparing target names, so adding a
// cloud, or changing what one cloud does, is one row and not a hunt through several files.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace platc::contract {

enum class Cloud { None, Aws, Gcp, Azure };

// How a Kubernetes ServiceAccount becomes a cloud identity on this target.
enum class IdentityBinding {
  None,
  AwsIrsa,                // eks.amazonaws.com/role-arn on the ServiceAccount
  GkeWorkloadIdentity,    // iam.gke.io/gcp-service-account on the ServiceAccount
  AzureWorkloadIdentity,  // azure.workload.identity/use on the pod and the ServiceAccount, client-id annotation
};

// An annotation the target's ingress controller reads, written on the Ingress of every public host
// when `when` holds. `value` may hold `{namespace}`, `{certificate}` (the host's), `{readiness}`
// (the readiness path the host's services share) and `{frontend_config}` (the host's).
struct IngressAnnotation {
  enum When { Always, Tls, NoTls, Readiness };
  std::string_view key;
  std::string_view value;
  When when = Always;
};

// An annotation the cloud's controller reads on a Service of type LoadBalancer (`load_balancer`),
// written when `when` holds.
struct LoadBalancerAnnotation {
  enum When { Always, Public, Internal };
  std::string_view key;
  std::string_view value;
  When when = Always;
};

struct Target {
  Cloud cloud = Cloud::None;
  std::string_view name;  // as written in platform.targets: aws | gcp | azure; empty: none
  // The ClusterSecretStore every ExternalSecret reads from (external-secrets.io provider).
  std::string_view secret_store;
  // The IngressClass the cloud's controller serves; empty: the cluster's default class.
  std::string_view ingress_class;
  // Whether the controller reads the class from the `kubernetes.io/ingress.class` annotation
  // instead of `spec.ingressClassName` (GKE: an Ingress with ingressClassName and no annotation is
  // left to another controller, and nothing serves it).
  bool ingress_class_annotation = false;
  // How HTTP is redirected to HTTPS on an exposed service with TLS: by an annotation of the
  // table (AWS, Azure), or by a GKE FrontendConfig of the service's name that the Ingress names
  // (`{frontend_config}` in the annotations).
  bool https_redirect_frontend_config = false;
  std::vector<IngressAnnotation> ingress_annotations;
  // When the services of one host have different readiness paths, the Ingress cannot carry one:
  // the annotation the controller also reads per backend on the Service (AWS), or empty when the
  // controller infers each backend's check from its pods' readiness probe instead.
  std::string_view readiness_service_annotation;
  // Long-lived connections (`expose.timeout`), in whole seconds: an annotation on the host's
  // Ingress whose value is `timeout_value` with `{seconds}` filled in (the longest of the host's
  // paths, or with `timeout_per_namespace` of the namespace's services: AWS's one ALB per
  // group), or a GKE BackendConfig per service with `timeoutSec`, which the Service names in
  // `cloud.google.com/backend-config`.
  std::string_view timeout_annotation;
  std::string_view timeout_value;
  bool timeout_per_namespace = false;
  bool timeout_backend_config = false;
  // Annotations on the ClusterIP Service of a workload the target's own Ingress controller serves
  // (GKE: `cloud.google.com/neg`, container-native load balancing, which a ClusterIP backend
  // needs and which GKE does not turn on by itself in a cluster that enforces NetworkPolicies).
  std::vector<std::pair<std::string_view, std::string_view>> exposed_service_annotations;
  // Where traffic to an exposed service comes from: the CIDRs of the cloud's load balancers, or
  // empty for "the platform's own network" (ALB / Application Gateway in the VPC).
  std::vector<std::string_view> load_balancer_cidrs;
  // A `load_balancer`: what makes the cloud's controller serve a Service of type LoadBalancer,
  // public or internal, with a passthrough load balancer.
  std::vector<LoadBalancerAnnotation> load_balancer_annotations;
  // Whether the load balancer's health checks reach the pods themselves from its addresses in the
  // platform's network (AWS NLB with IP targets), so the NetworkPolicy admits that network on the
  // port too. Elsewhere they ask the node (kube-proxy's healthCheckNodePort with
  // externalTrafficPolicy Local), which no NetworkPolicy of the pod sees.
  bool load_balancer_checks_from_network = false;
  // Egress a workload with a cloud identity needs besides the API on 443 (GKE's metadata server
  // answers the workload identity token requests).
  std::string_view metadata_cidr;
  std::vector<std::int64_t> metadata_ports;
  // The ports of the managed data stores, as the cloud's services listen: the cache's with TLS
  // (`cache.tls`, the default) and without.
  std::int64_t cache_port_tls = 0;
  std::int64_t cache_port_plain = 0;
  std::vector<std::int64_t> kafka_ports;
  // The Grafana datasource type of the cloud's monitoring.
  std::string_view monitoring_datasource;
  IdentityBinding identity = IdentityBinding::None;
  // The ServiceAccount annotation that names the workload's cloud identity.
  std::string_view identity_annotation;
  // The Terraform output (a map from ServiceAccount name to that annotation's value) the pipeline
  // sets the annotations from after `terraform apply`, when their values are only known once the
  // identities exist (an IAM role ARN carries the account id, an Azure client id is assigned);
  // empty when the contract knows the value itself (GCP: the service account's e-mail).
  std::string_view identity_output;
};

// The row for a target name; the `None` row for an empty or unknown name.
const Target& target(std::string_view name);

// Every row with a cloud, in table order (for docs and tests).
std::vector<const Target*> clouds();

// The port a cache listens on on this target, with TLS or without.
std::int64_t cache_port(const Target& t, bool tls);

// The port a database of this engine listens on (postgres 5432, mysql 3306).
std::int64_t database_port(std::string_view engine);
// A database's connection URL around its credentials: `<scheme>://<user>:<password>@<host>:<port>/
// <name><query>`, the scheme and the TLS query by engine (`postgres`/`?sslmode=require`,
// `mysql`/`?ssl-mode=REQUIRED`). Every backend that writes a `url` spells it with these.
std::string_view database_url_scheme(std::string_view engine);
std::string_view database_url_query(std::string_view engine);
// The master user of every database the Terraform backends create.
inline constexpr std::string_view kDatabaseUser = "platform_admin";

}  // namespace platc::contract
