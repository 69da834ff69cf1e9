// What every object family of the Kubernetes backend shares for one (environment, target) graph:
// the deployment's names from the contract, the workloads with their ports and images, labels,
// headers. Built once, read-only afterwards: a family never depends on another having run.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "backends/contract/names.h"
#include "backends/emit/yaml_writer.h"
#include "backends/kubernetes/kubernetes.h"
#include "compiler/graph/graph.h"

namespace platc::kubernetes {

struct Port {
  std::string name;
  std::int64_t number = 0;        // the container's
  std::int64_t service_port = 0;  // what clients call on the Service (`service_port`, else `number`)
  std::string app_protocol;       // the Service port's appProtocol; empty: none written
};

// A `sidecar NAME { … }` of a workload: a second container of its pods.
struct Sidecar {
  std::string block;  // "sidecar.exporter": the prefix of its attributes
  std::string name;   // the container's name, and its port's: the block name in Kubernetes spelling
};

struct Workload {
  const graph::Node* node = nullptr;
  std::size_t index = 0;            // in the graph's nodes
  std::string name;                 // Kubernetes name
  std::vector<Port> ports;          // the main container's
  std::vector<Sidecar> sidecars;    // in name order
  std::vector<Port> sidecar_ports;  // one per sidecar with a `port`, named like the sidecar
  std::string image, version;
  bool pre_deploy = false;  // a job with `hook = pre_deploy`
};

// The platform's own annotation and label domain.
inline constexpr const char* kAnnotationDomain = "platc.dev";
// Hook weights: what a pre-deploy job needs first, then the job. See hook_annotations().
inline constexpr const char* kHookWeightDependencies = "-10";
inline constexpr const char* kHookWeightJob = "0";

// A public host and the exposed services it routes to (ingress.cpp).
struct HostRoute {
  const Workload* w = nullptr;
  std::string path;
};
struct PublicHost {
  std::string host;
  std::vector<HostRoute> routes;  // never empty
};

class Context {
 public:
  Context(const graph::Graph& g, const Options& opts);
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;

  const graph::Graph& g;
  contract::Deployment deployment;
  const contract::Target& target;
  const graph::Node* platform = nullptr;
  const graph::Node* env_node = nullptr;
  std::string platform_name;  // as written
  std::string env;            // as written
  std::string ns;             // the namespace
  std::string cidr = "10.0.0.0/16";
  std::vector<Workload> workloads;  // in graph order

  const Workload* workload_at(std::size_t node_index) const;
  // `${x.name}` of a workload or a secret is its Kubernetes name; of anything else the block's.
  std::string name_output(const std::string& id) const;

  std::string source_of(const graph::Node* n) const;
  static std::string header(const std::set<std::string>& sources);
  // A string attribute as sema substituted it; deploy-time references as `${res.out}`.
  std::string plain_of(const graph::Node& n, std::string_view path) const;
  // An attribute the schema gives a default: the graph always holds it (every default is applied
  // by sema), so a backend never restates one. Absent only in hand-made graphs: 0, "" then.
  static std::int64_t int_of(const graph::Node& n, std::string_view path);
  static std::string word_of(const graph::Node& n, std::string_view path);
  // The name of the workload's port with this number, a sidecar's included (the first port when
  // `port` is unset).
  std::string port_name_for(const Workload& w, const graph::Value* port) const;

  emit::YamlNode common_labels() const;
  emit::YamlNode selector_labels(const std::string& name) const;
  emit::YamlNode labels(const graph::Node& n, const std::string& name, const std::string& version) const;
  emit::YamlNode object(const char* api, const char* kind, const std::string& name, emit::YamlNode labels) const;

  // A pre-deploy job and what it needs are hooks that run before every install and upgrade, in
  // Helm (pre-install,pre-upgrade) and Argo CD (PreSync) alike: its ServiceAccount, ConfigMap and
  // copies of the secrets it reads first (weight -10), then the Job (weight 0). Each is replaced
  // on the next deploy (before-hook-creation), and the copies keep the regular objects out of the
  // hooks' lifecycle. With plain kubectl, the pipeline applies `-l platc.dev/pre-deploy=true`
  // first. Post-deploy jobs are post-install/post-upgrade (PostSync) hooks.
  static void hook_annotations(emit::YamlNode& o, const char* weight, bool pre = true);

  // public_hosts()'s answer, kept: the workloads never change once the Context is made.
  mutable std::optional<std::vector<PublicHost>> public_hosts_cache;

 private:
  const Options& opts_;
  std::map<std::string, std::string> tags_;      // the platform's, sanitised, plus environment
  std::map<std::string, std::string> names_;     // id -> Kubernetes name, for workloads and secrets
  std::map<std::size_t, std::size_t> by_index_;  // node index -> workloads_ index

  void add_tags(std::map<std::string, std::string>& out, const graph::Node& n) const;
};

// A value as a manifest writes it: `512Mi`, `250m`, `1h30m`, `70%`, `true`.
std::string number_text(const graph::Value& v);
// A percent rounded to a whole number.
std::int64_t percent_int(const graph::Value& v);
// The ports a workload declares: `port` as `http`, then the `ports` map.
std::vector<Port> ports_of(const graph::Node& n);
// The sidecars of a workload, and the ports they listen on.
std::vector<Sidecar> sidecars_of(const graph::Node& n);
std::vector<Port> sidecar_ports_of(const graph::Node& n);

}  // namespace platc::kubernetes
