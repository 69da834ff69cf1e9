// The per-target table. Each value here is read by more than one artifact (the Kubernetes
// manifests open a port the Terraform side's data store listens on, the dashboards query the
// monitoring the cloud provides), so it lives here and nowhere else. docs/backends.md shows the
// table ("The deployment contract").
#include "backends/contract/target.h"

namespace platc::contract {
namespace {

const Target kTargets[] = {
    {
        .cloud = Cloud::Aws,
        .name = "aws",
        .secret_store = "aws-secrets-manager",
        .ingress_class = "alb",
        .ingress_class_annotation = false,
        .https_redirect_frontend_config = false,
        // AWS Load Balancer Controller: one internet-facing ALB per namespace (group), pods as
        // targets, HTTP redirected to HTTPS when TLS is on.
        .ingress_annotations =
            {
                {"alb.ingress.kubernetes.io/scheme", "internet-facing"},
                {"alb.ingress.kubernetes.io/target-type", "ip"},
                {"alb.ingress.kubernetes.io/group.name", "{namespace}"},
                {"alb.ingress.kubernetes.io/listen-ports", R"([{"HTTP":80},{"HTTPS":443}])", IngressAnnotation::Tls},
                {"alb.ingress.kubernetes.io/listen-ports", R"([{"HTTP":80}])", IngressAnnotation::NoTls},
                {"alb.ingress.kubernetes.io/ssl-redirect", "443", IngressAnnotation::Tls},
                {"alb.ingress.kubernetes.io/healthcheck-path", "{readiness}", IngressAnnotation::Readiness},
            },
        // "Ingress annotations": healthcheck-path may also be on the Service, which wins over the
        // Ingress for that backend; load-balancer-attributes is "Exclusive" within an IngressGroup
        // (the same value on every Ingress of the group that sets it), so the namespace's longest.
        .readiness_service_annotation = "alb.ingress.kubernetes.io/healthcheck-path",
        .timeout_annotation = "alb.ingress.kubernetes.io/load-balancer-attributes",
        .timeout_value = "idle_timeout.timeout_seconds={seconds}",
        .timeout_per_namespace = true,
        .timeout_backend_config = false,
        .exposed_service_annotations = {},
        .load_balancer_cidrs = {},
        .load_balancer_annotations =
            {
                // AWS Load Balancer Controller ("Network Load Balancer", "Service annotations"): an
                // NLB with the pods as IP targets, internal unless told otherwise, and the clients'
                // addresses kept (IP targets over TCP lose them by default) so the NetworkPolicy's
                // ipBlocks see who calls.
                {"service.beta.kubernetes.io/aws-load-balancer-type", "external"},
                {"service.beta.kubernetes.io/aws-load-balancer-nlb-target-type", "ip"},
                {"service.beta.kubernetes.io/aws-load-balancer-scheme", "internet-facing",
                 LoadBalancerAnnotation::Public},
                {"service.beta.kubernetes.io/aws-load-balancer-scheme", "internal", LoadBalancerAnnotation::Internal},
                {"service.beta.kubernetes.io/aws-load-balancer-target-group-attributes",
                 "preserve_client_ip.enabled=true"},
            },
        .load_balancer_checks_from_network = true,
        .metadata_cidr = "",
        .metadata_ports = {},
        .cache_port_tls = 6379,  // ElastiCache: transit encryption on the same port
        .cache_port_plain = 6379,
        .kafka_ports = {9094, 9098},  // MSK: TLS, and IAM authentication
        .monitoring_datasource = "cloudwatch",
        .identity = IdentityBinding::AwsIrsa,
        .identity_annotation = "eks.amazonaws.com/role-arn",
        .identity_output = "workload_role_arns",
    },
    {
        .cloud = Cloud::Gcp,
        .name = "gcp",
        .secret_store = "gcp-secret-manager",
        .ingress_class = "gce",
        // GKE's Ingress controller serves an Ingress with the annotation `kubernetes.io/ingress.class:
        // gce` (or with no class at all), and takes no action on one with `spec.ingressClassName`
        // and no annotation ("GKE Ingress controller behavior", GKE Ingress concepts).
        .ingress_class_annotation = true,
        // GKE HTTP(S) load balancing redirects HTTP to HTTPS through a FrontendConfig
        // (`redirectToHttps`, "Configuring Ingress features through FrontendConfig parameters"),
        // which keeps the HTTP listener to answer with the redirect.
        .https_redirect_frontend_config = true,
        // GKE Ingress: the pre-shared certificate the cloud side creates, the FrontendConfig.
        .ingress_annotations =
            {
                {"ingress.gcp.kubernetes.io/pre-shared-cert", "{certificate}", IngressAnnotation::Tls},
                {"networking.gke.io/v1beta1.FrontendConfig", "{frontend_config}", IngressAnnotation::Tls},
            },
        // GKE derives each backend's health check from its pods' readiness probe.
        .readiness_service_annotation = "",
        // "BackendConfig custom resource": `timeoutSec` is the backend service timeout, for a
        // WebSocket the longest the connection stays open.
        .timeout_annotation = "",
        .timeout_value = "",
        .timeout_per_namespace = false,
        .timeout_backend_config = true,
        // Google's front ends and health checkers reach the pods from these ranges.
        // GKE: an Ingress backend that is a ClusterIP Service needs a network endpoint group
        // ("Container-native load balancing": on by default only in clusters without GKE
        // NetworkPolicy enforcement, and every platc namespace has NetworkPolicies), so it is
        // asked for explicitly. The load balancer then sends traffic to the pod IPs directly,
        // from the ranges below, which the NetworkPolicy admits.
        .exposed_service_annotations = {{"cloud.google.com/neg", R"({"ingress":true})"}},
        .load_balancer_cidrs = {"130.211.0.0/22", "35.191.0.0/16"},
        .load_balancer_annotations =
            {
                // "LoadBalancer Service parameters": an internal passthrough Network Load Balancer,
                // or for a public one the backend service-based external passthrough Network Load
                // Balancer GKE recommends.
                {"networking.gke.io/load-balancer-type", "Internal", LoadBalancerAnnotation::Internal},
                {"cloud.google.com/l4-rbs", "enabled", LoadBalancerAnnotation::Public},
            },
        .load_balancer_checks_from_network = false,
        .metadata_cidr = "169.254.169.254/32",
        .metadata_ports = {80, 988},
        .cache_port_tls = 6378,  // Memorystore: server authentication (TLS) on 6378
        .cache_port_plain = 6379,
        .kafka_ports = {9092},  // Managed Service for Apache Kafka
        .monitoring_datasource = "stackdriver",
        .identity = IdentityBinding::GkeWorkloadIdentity,
        .identity_annotation = "iam.gke.io/gcp-service-account",
        .identity_output = "",
    },
    {
        .cloud = Cloud::Azure,
        .name = "azure",
        .secret_store = "azure-key-vault",
        .ingress_class = "azure-application-gateway",
        .ingress_class_annotation = false,
        .https_redirect_frontend_config = false,
        // Application Gateway Ingress Controller: the gateway's certificate, HTTP redirected.
        .ingress_annotations =
            {
                {"appgw.ingress.kubernetes.io/appgw-ssl-certificate", "{certificate}", IngressAnnotation::Tls},
                {"appgw.ingress.kubernetes.io/ssl-redirect", "true", IngressAnnotation::Tls},
                {"appgw.ingress.kubernetes.io/health-probe-path", "{readiness}", IngressAnnotation::Readiness},
            },
        // AGIC reads health-probe-path on the Ingress only; without it each backend's probe comes
        // from its pods' readiness probe. request-timeout (seconds) applies to every path of the
        // Ingress ("Annotations for Application Gateway Ingress Controller").
        .readiness_service_annotation = "",
        .timeout_annotation = "appgw.ingress.kubernetes.io/request-timeout",
        .timeout_value = "{seconds}",
        .timeout_per_namespace = false,
        .timeout_backend_config = false,
        .exposed_service_annotations = {},
        .load_balancer_cidrs = {},
        .load_balancer_annotations =
            {
                // AKS ("Use an internal load balancer"): public unless this annotation says internal.
                {"service.beta.kubernetes.io/azure-load-balancer-internal", "true", LoadBalancerAnnotation::Internal},
            },
        .load_balancer_checks_from_network = false,
        .metadata_cidr = "",
        .metadata_ports = {},
        .cache_port_tls = 6380,  // Azure Cache for Redis: the TLS port, 6379 without
        .cache_port_plain = 6379,
        .kafka_ports = {9093},  // Event Hubs' Kafka endpoint
        .monitoring_datasource = "grafana-azure-monitor-datasource",
        .identity = IdentityBinding::AzureWorkloadIdentity,
        .identity_annotation = "azure.workload.identity/client-id",
        .identity_output = "workload_client_ids",
    },
};

// A platform that names no target: manifests that work with any cluster's defaults.
const Target kNone = {
    .cloud = Cloud::None,
    .name = "",
    .secret_store = "secret-store",
    .ingress_class = "",
    .ingress_class_annotation = false,
    .https_redirect_frontend_config = false,
    .ingress_annotations = {},
    .readiness_service_annotation = "",
    .timeout_annotation = "",
    .timeout_value = "",
    .timeout_per_namespace = false,
    .timeout_backend_config = false,
    .exposed_service_annotations = {},
    .load_balancer_cidrs = {},
    .load_balancer_annotations = {},
    .load_balancer_checks_from_network = false,
    .metadata_cidr = "",
    .metadata_ports = {},
    .cache_port_tls = 6379,
    .cache_port_plain = 6379,
    .kafka_ports = {9094, 9098},
    .monitoring_datasource = "cloudwatch",
    .identity = IdentityBinding::None,
    .identity_annotation = "",
    .identity_output = "",
};

}  // namespace

const Target& target(std::string_view name) {
  for (const auto& t : kTargets)
    if (t.name == name) return t;
  return kNone;
}

std::vector<const Target*> clouds() {
  std::vector<const Target*> out;
  for (const auto& t : kTargets) out.push_back(&t);
  return out;
}

std::int64_t cache_port(const Target& t, bool tls) {
  return tls ? t.cache_port_tls : t.cache_port_plain;
}

std::int64_t database_port(std::string_view engine) {
  return engine == "mysql" ? 3306 : 5432;
}

std::string_view database_url_scheme(std::string_view engine) {
  return engine == "mysql" ? "mysql" : "postgres";
}

std::string_view database_url_query(std::string_view engine) {
  return engine == "mysql" ? "?ssl-mode=REQUIRED" : "?sslmode=require";
}

}  // namespace platc::contract
