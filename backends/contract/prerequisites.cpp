#include "backends/contract/prerequisites.h"

#include <fmt/format.h>

#include <set>

namespace platc::contract {

std::vector<Prerequisite> cluster_prerequisites(Cloud cloud) {
  const char* store = cloud == Cloud::Aws ? "Secrets Manager" : cloud == Cloud::Gcp ? "Secret Manager" : "Key Vault";
  // external-secrets.io/v1 (what the ExternalSecrets are written in) is served from 0.16 on.
  std::vector<Prerequisite> out = {
      {"External Secrets Operator", "https://charts.external-secrets.io", "external-secrets/external-secrets", "0.18.2",
       "external-secrets", std::string("fills every Secret of secrets.yaml from ") + store},
  };
  // GKE and AKS bring their own Ingress controller and metrics-server (cluster.tf).
  if (cloud == Cloud::Aws) {
    out.push_back({"AWS Load Balancer Controller", "https://aws.github.io/eks-charts",
                   "eks/aws-load-balancer-controller", "1.13.3", "kube-system",
                   "serves the Ingresses (class `alb`) and the `load_balancer` Services"});
  }
  out.push_back({"ExternalDNS", "https://kubernetes-sigs.github.io/external-dns", "external-dns/external-dns", "1.15.2",
                 "external-dns", "writes each Ingress host's record into the zones of dns.tf"});
  if (cloud == Cloud::Aws)
    out.push_back({"metrics-server", "https://kubernetes-sigs.github.io/metrics-server",
                   "metrics-server/metrics-server", "3.12.2", "kube-system",
                   "the CPU and memory metrics the HorizontalPodAutoscalers read"});
  out.push_back({"Prometheus Operator CRDs", "https://prometheus-community.github.io/helm-charts",
                 "prometheus-community/prometheus-operator-crds", "17.0.2", "monitoring",
                 "ServiceMonitor, PodMonitor and PrometheusRule of monitoring.yaml"});
  // Chart 2.2.16 = Reloader v1.4.21 (stakater/Reloader, tag chart-v2.2.16).
  out.push_back({"Reloader", "https://stakater.github.io/stakater-charts", "stakater/reloader", "2.2.16", "reloader",
                 "rolls a workload's pods when a Secret it reads changes (`secret.reloader.stakater.com/reload`): a "
                 "rotated password, a value put into the secret store"});
  return out;
}

std::string prerequisites_section(Cloud cloud, const std::string& login,
                                  const std::function<std::string(std::string_view release)>& extra) {
  std::vector<Prerequisite> all = cluster_prerequisites(cloud);
  std::string out = "```sh\n" + login;
  std::set<std::string> repos;
  for (const auto& p : all) {
    std::string repo = p.chart.substr(0, p.chart.find('/'));
    if (repos.insert(repo).second) out += fmt::format("helm repo add {} {}\n", repo, p.repo);
  }
  for (const auto& p : all)
    out += fmt::format("helm upgrade --install {} {} --version {} -n {} --create-namespace{}\n", p.release(), p.chart,
                       p.version, p.ns, extra(p.release()));
  out += "```\n\n| Prerequisite | Chart | Version | Why |\n|---|---|---|---|\n";
  for (const auto& p : all) out += fmt::format("| {} | `{}` | {} | {} |\n", p.name, p.chart, p.version, p.why);
  return out;
}

}  // namespace platc::contract
