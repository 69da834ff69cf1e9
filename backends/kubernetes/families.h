// The object families of the Kubernetes backend, each a function of the Context (and of the
// workloads' environment plans, which say what each workload reads). None depends on another
// having run: kubernetes.cpp calls them in the order their files are written.
#pragma once

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "backends/emit/yaml_writer.h"
#include "backends/kubernetes/context.h"

namespace platc::kubernetes {

// What a workload's container gets in its environment, and so what it reads.
struct EnvPlan {
  std::vector<std::pair<std::string, std::string>> config;   // name -> value, into `<name>-env`
  std::vector<emit::YamlNode> env;                           // the container's env, in order
  std::set<std::string> secrets;                             // ids of the secret blocks it reads
  std::map<std::string, std::set<std::string>> connections;  // resource id -> the outputs it reads
  std::vector<emit::YamlNode> init_containers;               // `wait_for`, in the order written
  std::set<std::string> ca_bundles;  // ids of the data stores whose CA bundle it reads (`ca_file`)
  std::map<std::string, std::vector<emit::YamlNode>> sidecar_env;  // sidecar block -> its env, inline
  // What looks like a secret (graph::Value::secret), into `<name>-env-secret`: key (the attribute's
  // path: `env.API_KEY`, `sidecar.exporter.args.1`) -> value, sorted by key.
  std::map<std::string, std::string> secret_env;
  // `command` and `args` items delivered from that Secret: attribute path (`args`,
  // `sidecar.exporter.command`) -> item index -> what the container says instead (`$(VAR)`).
  std::map<std::string, std::map<std::size_t, std::string>> secret_args;
};

// The objects of one file and the source files they come from (for the header).
struct Docs {
  std::vector<emit::YamlNode> docs;
  std::set<std::string> sources;
};

// configuration.cpp: `env`, `publishes`/`consumes` and references → ConfigMap entries, Secret
// references and composed values.
EnvPlan env_plan(const Context& ctx, const Workload& w);

// wait_for.cpp: the targets of `wait_for` (ids, in the order written, without repeats), and an
// init container per target in the plan, with the connection Secret keys it reads.
std::vector<std::string> wait_targets(const graph::Node& n);
void plan_waits(const Context& ctx, const Workload& w, EnvPlan& plan);

// pod_spec.cpp: the volumes and their mounts (`/tmp`, `volumes`, CA bundles, `storage` and its claim), the pod
// template's annotations (the config checksum, then the user's) and `terminationGracePeriodSeconds`.
inline constexpr const char* kStorageVolume = "storage";  // the claim of a service's `storage`
// The CA bundles of `plan.ca_bundles` are read-only Secret volumes (`ca_file`).
void add_volumes(const Workload& w, const EnvPlan& plan, emit::YamlNode& pod_spec, emit::YamlNode& container);
emit::YamlNode claim_templates(const Context& ctx, const Workload& w);
emit::YamlNode pod_annotations(const graph::Node& n, const std::string& config_checksum);
void termination_grace(const graph::Node& n, emit::YamlNode& pod_spec);

// ingress.cpp: the public hosts, each with its routes longest path first, one Ingress per host
// (and GKE's FrontendConfig), and what an exposed service's own objects carry for it: the GKE
// BackendConfig of `expose.timeout` and the Service's annotations.
// Worked out once per Context (each exposed Service asks for its host's routes).
const std::vector<PublicHost>& public_hosts(const Context& ctx);
Docs ingress_docs(const Context& ctx);
bool has_backend_config(const Context& ctx, const Workload& w);
emit::YamlNode backend_config_doc(const Context& ctx, const Workload& w, const emit::YamlNode& l);
emit::YamlNode service_annotations(const Context& ctx, const Workload& w);

// workloads.cpp: ServiceAccount, ConfigMap, Deployment or Job/CronJob, Service, HPA, PDB.
std::vector<emit::YamlNode> workload_docs(const Context& ctx, const Workload& w, const EnvPlan& plan);
emit::YamlNode namespace_doc(const Context& ctx);

// secrets.cpp: the ExternalSecrets of the secrets and connections the plans read.
Docs secret_docs(const Context& ctx, const std::vector<EnvPlan>& plans);

// network.cpp: default deny, DNS, and one NetworkPolicy per workload from the graph's edges.
std::vector<emit::YamlNode> network_docs(const Context& ctx);

// monitoring.cpp: ServiceMonitor / PodMonitor per workload with metrics, one PrometheusRule.
Docs monitoring_docs(const Context& ctx);

// dashboards.cpp: a ConfigMap per dashboard for Grafana's sidecar.
Docs dashboard_docs(const Context& ctx);

// The port the Ingress of an exposed service sends traffic to: its name and number.
std::string ingress_port(const Context& ctx, const Workload& w);
std::int64_t ingress_port_number(const Context& ctx, const Workload& w);

}  // namespace platc::kubernetes
