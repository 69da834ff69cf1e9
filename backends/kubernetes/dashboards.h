// Grafana dashboards: the JSON model of a `dashboard` block, provisioned by the Kubernetes
// backend as a ConfigMap that Grafana's dashboard sidecar (kube-prometheus-stack) loads.
#pragma once

#include <string>

#include "compiler/graph/graph.h"

namespace platc::kubernetes {

struct DashboardContext {
  std::string platform;  // Kubernetes spelling: `acme`
  std::string env;       // `dev`
  std::string ns;        // the namespace: `acme-dev`
  std::string target;    // aws | gcp | azure
  // A workload's or resource's Kubernetes name (`collector_sec` -> `collector-sec`).
  std::string (*name)(std::string_view id) = nullptr;
};

// The dashboard's JSON model (Grafana schemaVersion 39), pretty-printed, keys in a fixed order.
// Rows: services (requests, errors, p99 latency, CPU), workers (CPU, memory, restarts, available
// replicas) and jobs (successes, failures, CPU, memory) from Prometheus; topics from
// kafka_exporter; databases, caches, queues and buckets from the target's cloud monitoring
// (CloudWatch, Cloud Monitoring, Azure Monitor). Then the custom `panel` blocks.
std::string dashboard_json(const graph::Graph& g, const graph::Node& dashboard, const DashboardContext& ctx);

// The name a cloud resource has in its provider, `<platform>-<env>-<name>`: what the dashboards
// query (and the Terraform backend must create).
std::string cloud_resource_name(const DashboardContext& ctx, const graph::Node& n);

}  // namespace platc::kubernetes
