// Grafana dashboards: the JSON model of a `dashboard` block, provisioned by the Kubernetes
// backend as a ConfigMap that Grafana's dashboard sidecar (kube-prometheus-stack) loads.
#pragma once

#include <string>

#include "backends/contract/names.h"
#include "compiler/graph/graph.h"

namespace platc::kubernetes {

struct DashboardContext {
  const contract::Deployment* deployment = nullptr;
  std::string platform;  // Kubernetes spelling: `acme`
  std::string env;       // `dev`
  std::string ns;        // the namespace: `acme-dev`
};

// The dashboard's JSON model (Grafana schemaVersion 39), pretty-printed, keys in a fixed order.
// Rows: services (requests, errors, p99 latency, CPU), workers (CPU, memory, restarts, available
// replicas) and jobs (successes, failures, CPU, memory) from Prometheus; topics from
// kafka_exporter; databases, caches, queues and buckets from the target's cloud monitoring
// (CloudWatch, Cloud Monitoring, Azure Monitor). Then the custom `panel` blocks.
std::string dashboard_json(const graph::Graph& g, const graph::Node& dashboard, const DashboardContext& ctx);

}  // namespace platc::kubernetes
