// Grafana dashboard JSON for `dashboard` blocks. The panels of a row depend on the kind of the
// resource; metric names are the ones the standard exporters (cAdvisor, kube-state-metrics,
// kafka_exporter) and the clouds' monitoring services publish. docs/backends.md lists them.
#include "backends/kubernetes/dashboards.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <nlohmann/json.hpp>

namespace platc::kubernetes {
namespace {

using json = nlohmann::ordered_json;
using graph::Node;
using graph::Value;
using graph::ValueKind;

constexpr int kWidth = 24;  // Grafana's grid

struct Panel {
  std::string title, unit;
  json target;         // one query
  bool cloud = false;  // the cloud datasource, else Prometheus
  std::string type = "timeseries";
};

// PromQL string literal: `"` and `\` escaped.
std::string q(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

json prom(const std::string& expr, const std::string& legend = "") {
  json t;
  t["refId"] = "A";
  t["expr"] = expr;
  t["legendFormat"] = legend.empty() ? "__auto" : legend;
  t["range"] = true;
  return t;
}

class Builder {
 public:
  explicit Builder(const DashboardContext& ctx) : ctx_(ctx) {}

  std::vector<Panel> row(const Node& n) const {
    std::string ns = q(ctx_.ns), name = contract::object_name(n.id);
    std::string sel = fmt::format("namespace={}, container={}", ns, q(name));
    Panel cpu{"CPU", "short",
              prom(fmt::format("sum(rate(container_cpu_usage_seconds_total{{{}}}[5m]))", sel), "cores")};
    Panel mem{"Memory", "bytes",
              prom(fmt::format("sum(container_memory_working_set_bytes{{{}}})", sel), "working set")};
    if (n.kind == "service") {
      std::string job = fmt::format("namespace={}, job={}", ns, q(name));
      return {
          {"Requests", "reqps", prom(fmt::format("sum(rate(http_requests_total{{{}}}[5m]))", job), "requests/s")},
          {"Errors", "percentunit",
           prom(fmt::format("sum(rate(http_requests_total{{{0}, status=~\"5..\"}}[5m])) / "
                            "sum(rate(http_requests_total{{{0}}}[5m]))",
                            job),
                "5xx ratio")},
          {"Latency p99", "s",
           prom(fmt::format("histogram_quantile(0.99, sum by (le) "
                            "(rate(http_request_duration_seconds_bucket{{{}}}[5m])))",
                            job),
                "p99")},
          cpu,
      };
    }
    if (n.kind == "worker")
      return {
          cpu,
          mem,
          {"Restarts", "short",
           prom(fmt::format("sum(increase(kube_pod_container_status_restarts_total{{{}}}[1h]))", sel), "restarts/h")},
          {"Available replicas", "short",
           prom(fmt::format("sum(kube_deployment_status_replicas_available{{namespace={}, deployment={}}})", ns,
                            q(name)),
                "available")}};
    if (n.kind == "job") {
      // A CronJob's Jobs are named <cronjob>-<minutes since the epoch>.
      std::string jobs = fmt::format("namespace={}, job_name=~{}", ns, q(name + "(-[0-9]+)?"));
      return {{"Succeeded runs", "short", prom(fmt::format("sum(kube_job_status_succeeded{{{}}})", jobs), "succeeded")},
              {"Failed runs", "short", prom(fmt::format("sum(kube_job_status_failed{{{}}})", jobs), "failed")},
              cpu,
              mem};
    }
    if (n.kind == "topic") {
      std::string t = fmt::format("topic={}", q(n.id));
      return {{"Messages in", "ops",
               prom(fmt::format("sum(rate(kafka_topic_partition_current_offset{{{}}}[5m]))", t), "messages/s")},
              {"Consumer lag", "short",
               prom(fmt::format("sum by (consumergroup) (kafka_consumergroup_lag{{{}}})", t), "{{consumergroup}}")},
              {"Partitions", "short", prom(fmt::format("sum(kafka_topic_partitions{{{}}})", t), "partitions")}};
    }
    return cloud_row(n);
  }

  std::string cloud_datasource_type() const { return std::string(ctx_.deployment->target().monitoring_datasource); }

 private:
  const DashboardContext& ctx_;

  struct Metric {
    const char* title;
    const char* unit;
    const char* name;
  };

  std::vector<Panel> cloud_row(const Node& n) const {
    std::vector<Panel> out;
    std::string id = ctx_.deployment->cloud_name(n);
    bool mysql = n.kind == "database" && n.value("engine") && n.value("engine")->text == "mysql";
    if (ctx_.deployment->target().cloud == contract::Cloud::Aws) {
      struct Spec {
        const char* ns;
        std::vector<std::pair<std::string, std::string>> dims;
        std::vector<Metric> metrics;
      };
      Spec s;
      if (n.kind == "database")
        s = {"AWS/RDS",
             {{"DBInstanceIdentifier", id}},
             {{"CPU", "percent", "CPUUtilization"},
              {"Connections", "short", "DatabaseConnections"},
              {"Free storage", "bytes", "FreeStorageSpace"}}};
      else if (n.kind == "cache")
        // ElastiCache publishes per node, and a replication group's nodes are `<id>-001`,
        // `-002` …: the first node, the primary until a failover.
        s = {"AWS/ElastiCache",
             {{"CacheClusterId", id + "-001"}},
             {{"CPU", "percent", "CPUUtilization"},
              {"Connections", "short", "CurrConnections"},
              {"Memory used", "percent", "DatabaseMemoryUsagePercentage"}}};
      else if (n.kind == "queue")
        s = {"AWS/SQS",
             {{"QueueName", id}},
             {{"Messages sent", "short", "NumberOfMessagesSent"},
              {"Messages waiting", "short", "ApproximateNumberOfMessagesVisible"},
              {"Oldest message age", "s", "ApproximateAgeOfOldestMessage"}}};
      else if (n.kind == "bucket")
        s = {
            "AWS/S3", {{"BucketName", id}, {"StorageType", "StandardStorage"}}, {{"Size", "bytes", "BucketSizeBytes"}}};
      else
        return out;
      for (const auto& m : s.metrics) {
        json t;
        t["refId"] = "A";
        t["id"] = "";  // only set for metric math, as Grafana's query editor leaves it
        t["queryMode"] = "Metrics";
        t["region"] = "default";
        t["namespace"] = s.ns;
        t["metricName"] = m.name;
        json d = json::object();
        for (const auto& [k, v] : s.dims) d[k] = json::array({v});
        t["dimensions"] = d;
        t["statistic"] = "Average";
        t["period"] = "";
        t["matchExact"] = true;
        t["metricQueryType"] = 0;
        t["metricEditorMode"] = 0;
        out.push_back({m.title, m.unit, t, true});
      }
      return out;
    }
    if (ctx_.deployment->target().cloud == contract::Cloud::Gcp) {
      std::string label, value;
      std::vector<Metric> metrics;
      if (n.kind == "database") {
        label = "resource.label.database_id", value = ".*:" + id;
        metrics = {{"CPU", "percentunit", "cloudsql.googleapis.com/database/cpu/utilization"},
                   {"Connections", "short", "cloudsql.googleapis.com/database/network/connections"},
                   {"Disk used", "bytes", "cloudsql.googleapis.com/database/disk/bytes_used"}};
      } else if (n.kind == "cache") {
        label = "resource.label.instance_id", value = ".*/" + id;
        metrics = {{"CPU", "s", "redis.googleapis.com/stats/cpu_utilization"},
                   {"Connections", "short", "redis.googleapis.com/clients/connected"},
                   {"Memory used", "percentunit", "redis.googleapis.com/stats/memory/usage_ratio"}};
      } else if (n.kind == "queue") {
        label = "resource.label.subscription_id", value = id + ".*";
        metrics = {{"Messages waiting", "short", "pubsub.googleapis.com/subscription/num_undelivered_messages"},
                   {"Oldest message age", "s", "pubsub.googleapis.com/subscription/oldest_unacked_message_age"}};
      } else if (n.kind == "bucket") {
        label = "resource.label.bucket_name", value = id;
        metrics = {{"Size", "bytes", "storage.googleapis.com/storage/total_bytes"},
                   {"Objects", "short", "storage.googleapis.com/storage/object_count"}};
      } else {
        return out;
      }
      for (const auto& m : metrics) {
        json t;
        t["refId"] = "A";
        t["queryType"] = "timeSeriesList";
        json& l = t["timeSeriesList"];
        l["projectName"] = "$project";
        l["filters"] = json::array({"metric.type", "=", m.name, "AND", label, "=~", value});
        l["crossSeriesReducer"] = "REDUCE_NONE";
        l["perSeriesAligner"] = "ALIGN_MEAN";
        l["alignmentPeriod"] = "cloud-monitoring-auto";
        l["groupBys"] = json::array();
        out.push_back({m.title, m.unit, t, true});
      }
      return out;
    }
    if (ctx_.deployment->target().cloud == contract::Cloud::Azure) {
      std::string ns, resource = id;
      std::vector<Metric> metrics;
      if (n.kind == "database") {
        ns = mysql ? "Microsoft.DBforMySQL/flexibleServers" : "Microsoft.DBforPostgreSQL/flexibleServers";
        metrics = {{"CPU", "percent", "cpu_percent"},
                   {"Connections", "short", "active_connections"},
                   {"Storage used", "percent", "storage_percent"}};
      } else if (n.kind == "cache") {
        ns = "Microsoft.Cache/redis";
        metrics = {{"CPU", "percent", "percentProcessorTime"},
                   {"Connections", "short", "connectedclients"},
                   {"Memory used", "percent", "usedmemorypercentage"}};
      } else if (n.kind == "queue") {
        ns = "Microsoft.ServiceBus/namespaces";
        resource = ctx_.deployment->messaging_namespace();  // one namespace per environment, a queue per block
        metrics = {{"Messages in", "short", "IncomingMessages"},
                   {"Messages waiting", "short", "ActiveMessages"},
                   {"Dead-lettered", "short", "DeadletteredMessages"}};
      } else if (n.kind == "bucket") {
        ns = "Microsoft.Storage/storageAccounts";
        metrics = {{"Used capacity", "bytes", "UsedCapacity"}, {"Transactions", "short", "Transactions"}};
      } else {
        return out;
      }
      for (const auto& m : metrics) {
        json t;
        t["refId"] = "A";
        t["queryType"] = "Azure Monitor";
        t["subscription"] = "$subscription";
        json& a = t["azureMonitor"];
        a["metricNamespace"] = ns;
        a["metricName"] = m.name;
        a["aggregation"] = "Average";
        a["timeGrain"] = "auto";
        json r;
        r["subscription"] = "$subscription";
        r["resourceGroup"] = ctx_.deployment->resource_group();
        r["resourceName"] = resource;
        r["metricNamespace"] = ns;
        a["resources"] = json::array({r});
        if (n.kind == "queue") {
          json f;
          f["dimension"] = "EntityName";
          f["operator"] = "eq";
          f["filters"] = json::array({id});
          a["dimensionFilters"] = json::array({f});
        }
        out.push_back({m.title, m.unit, t, true});
      }
    }
    return out;
  }
};

// FNV-1a: a hash that is the same on every machine (std::hash is not).
std::uint32_t fnv1a(std::string_view s) {
  std::uint32_t h = 2166136261u;
  for (unsigned char c : s) h = (h ^ c) * 16777619u;
  return h;
}

}  // namespace

std::string dashboard_json(const graph::Graph& g, const Node& d, const DashboardContext& ctx) {
  Builder b(ctx);
  auto str = [&](const char* path, const std::string& dflt) {
    const Value* v = d.value(path);
    return v && v->kind == ValueKind::String ? v->plain() : dflt;
  };
  auto seconds = [&](const char* path, std::int64_t dflt) {
    const Value* v = d.value(path);
    return graph::format_seconds(v ? v->i : dflt);
  };
  bool uses_cloud = false;
  json panels = json::array();
  int id = 0, y = 0;
  // One line of panels, under a row header unless `title` is empty.
  auto place = [&](std::vector<Panel>& row, const std::string& title) {
    if (row.empty()) return;
    if (!title.empty()) {
      json r;
      r["type"] = "row";
      r["id"] = ++id;
      r["title"] = title;
      r["collapsed"] = false;
      r["gridPos"] = {{"h", 1}, {"w", kWidth}, {"x", 0}, {"y", y}};
      r["panels"] = json::array();
      panels.push_back(r);
      y += 1;
    }
    int w = kWidth / static_cast<int>(row.size());
    int x = 0;
    for (auto& p : row) {
      uses_cloud = uses_cloud || p.cloud;
      json o;
      o["type"] = p.type;
      o["id"] = ++id;
      o["title"] = p.title;
      o["gridPos"] = {{"h", 8}, {"w", w}, {"x", x}, {"y", y}};
      o["datasource"] = {{"type", p.cloud ? b.cloud_datasource_type() : "prometheus"},
                         {"uid", p.cloud ? "${cloud}" : "${datasource}"}};
      o["fieldConfig"] = {{"defaults", {{"unit", p.unit}}}, {"overrides", json::array()}};
      json t = p.target;
      t["datasource"] = o["datasource"];
      o["targets"] = json::array({t});
      panels.push_back(o);
      x += w;
    }
    y += 8;
  };
  if (const Value* rows = d.value("rows"); rows && rows->kind == ValueKind::List)
    for (const auto& item : rows->items) {
      const Node* n = item.kind == ValueKind::Ref ? g.find(item.text) : nullptr;
      if (!n) continue;
      auto row = b.row(*n);
      place(row, fmt::format("{} ({})", contract::object_name(n->id), n->kind));
    }
  std::vector<Panel> custom;
  for (const auto& block : d.blocks) {
    if (!block.starts_with("panel.")) continue;
    std::string name = block.substr(6);
    std::string title = name;
    for (char& c : title)
      if (c == '_') c = ' ';
    const Value* type = d.value(block + ".type");
    Panel p{str((block + ".title").c_str(), title), str((block + ".unit").c_str(), "short"),
            prom(str((block + ".expr").c_str(), ""))};
    if (type && !type->text.empty()) p.type = type->text;
    custom.push_back(std::move(p));
  }
  // Custom panels: two per line, under one row header.
  for (std::size_t k = 0; k < custom.size(); k += 2) {
    std::vector<Panel> line(custom.begin() + static_cast<std::ptrdiff_t>(k),
                            custom.begin() + static_cast<std::ptrdiff_t>(std::min(k + 2, custom.size())));
    place(line, k == 0 ? "custom panels" : "");
  }

  json vars = json::array();
  auto ds_var = [&](const char* name, const char* label, const std::string& type) {
    json v;
    v["name"] = name;
    v["label"] = label;
    v["type"] = "datasource";
    v["query"] = type;
    v["hide"] = 0;
    v["refresh"] = 1;
    v["options"] = json::array();
    vars.push_back(v);
  };
  ds_var("datasource", "Prometheus", "prometheus");
  if (uses_cloud) {
    ds_var("cloud", "Cloud monitoring", b.cloud_datasource_type());
    auto text_var = [&](const char* name, const char* label) {
      json v;
      v["name"] = name;
      v["label"] = label;
      v["type"] = "textbox";
      v["query"] = "";
      v["hide"] = 0;
      v["options"] = json::array();
      vars.push_back(v);
    };
    if (ctx.deployment->target().cloud == contract::Cloud::Gcp) text_var("project", "Google Cloud project");
    if (ctx.deployment->target().cloud == contract::Cloud::Azure) text_var("subscription", "Azure subscription id");
  }

  json o;
  // At most 40 characters, stable across builds: the dashboard keeps its URL when re-provisioned.
  std::string uid = ctx.deployment->dashboard_uid(d.id);
  if (uid.size() > 40) uid = uid.substr(0, 31) + "-" + fmt::format("{:08x}", fnv1a(uid));
  o["uid"] = uid;
  o["title"] = str("title", d.id);
  o["tags"] = json::array({"platc", ctx.platform, ctx.env});
  o["timezone"] = "utc";
  o["editable"] = true;
  o["graphTooltip"] = 1;
  o["refresh"] = seconds("refresh", 60);
  o["time"] = {{"from", "now-" + seconds("window", 6 * 3600)}, {"to", "now"}};
  o["schemaVersion"] = 39;
  o["version"] = 1;
  o["templating"] = {{"list", vars}};
  o["annotations"] = {{"list", json::array()}};
  o["panels"] = panels;
  return o.dump(2);
}

}  // namespace platc::kubernetes
