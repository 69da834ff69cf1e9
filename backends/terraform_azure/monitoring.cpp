// Azure Monitor metric alerts on the managed resources the platform uses (the declared `alert`s
// are Prometheus rules of the Kubernetes output: PromQL over the workloads' metrics, which Azure
// Monitor does not evaluate), sent to one action group per environment that e-mails the budget's
// `notify` addresses. The metric names are the ones the dashboards query; a queue's alert is on its
// namespace, filtered to the queue (dimension EntityName).
#include "backends/terraform_azure/families.h"

namespace platc::terraform_azure {

using graph::Node;

namespace {

struct Alert {
  std::string label, name, scope, ns, metric;
  std::int64_t threshold = 0;
  std::string what;
  std::string entity;  // the Service Bus queue (dimension EntityName), or empty
  std::string aggregation = "Average";
};

void alert(hcl::File& f, const Alert& a) {
  hcl::Block& r = f.block("resource", {"azurerm_monitor_metric_alert", a.label});
  r.body.attr("name", a.name);
  r.body.attr("resource_group_name", Expr::ref(std::string(kGroup) + ".name"));
  r.body.attr("scopes", Expr::tuple({Expr::ref(a.scope)}));
  r.body.attr("description", a.what);
  r.body.attr("severity", Expr::number(2));
  r.body.attr("frequency", "PT5M");
  r.body.attr("window_size", "PT15M");
  hcl::Block& c = r.body.block("criteria");
  c.body.attr("metric_namespace", a.ns);
  c.body.attr("metric_name", a.metric);
  c.body.attr("aggregation", a.aggregation);
  c.body.attr("operator", "GreaterThan");
  c.body.attr("threshold", Expr::number(a.threshold));
  if (!a.entity.empty()) {
    hcl::Block& d = c.body.block("dimension");
    d.body.attr("name", "EntityName");
    d.body.attr("operator", "Include");
    d.body.attr("values", Expr::strings({a.entity}));
  }
  r.body.block("action").body.attr("action_group_id", Expr::ref("azurerm_monitor_action_group.main.id"));
  r.body.attr("tags", Expr::ref("local.tags"));
}

}  // namespace

void monitoring_files(Context& c) {
  std::vector<Alert> alerts;
  for (const Node* n : c.of_kind("database")) {
    const graph::Value* ev = n->value("engine");
    bool mysql = ev && ev->text == "mysql";
    std::string id = c.cloud_name(*n), l = Context::label(n->id);
    std::string scope = (mysql ? "azurerm_mysql_flexible_server." : "azurerm_postgresql_flexible_server.") + l + ".id";
    std::string ns = mysql ? "Microsoft.DBforMySQL/flexibleServers" : "Microsoft.DBforPostgreSQL/flexibleServers";
    alerts.push_back({l + "_cpu", id + "-cpu", scope, ns, "cpu_percent", 80,
                      "database " + n->id + ": CPU above 80% for 15 minutes", "", "Average"});
    alerts.push_back({l + "_storage", id + "-storage", scope, ns, "storage_percent", 85,
                      "database " + n->id + ": storage above 85%", "", "Average"});
  }
  for (const Node* n : c.of_kind("cache")) {
    std::string id = c.cloud_name(*n), l = Context::label(n->id);
    alerts.push_back({l + "_memory", id + "-memory", "azurerm_redis_cache." + l + ".id", "Microsoft.Cache/redis",
                      "usedmemorypercentage", 90, "cache " + n->id + ": memory above 90% for 15 minutes", "",
                      "Average"});
  }
  for (const Node* n : c.of_kind("queue")) {
    std::string id = c.cloud_name(*n), l = Context::label(n->id);
    alerts.push_back({l + "_dead_letters", id + "-dead-letters", "azurerm_servicebus_namespace.main.id",
                      "Microsoft.ServiceBus/namespaces", "DeadletteredMessages", 0,
                      "queue " + n->id + ": messages were dead-lettered", id, "Maximum"});
  }
  if (alerts.empty()) return;
  hcl::File& f = c.file("monitoring.tf");
  hcl::Block& g = f.block("resource", {"azurerm_monitor_action_group", "main"});
  g.body.attr("name", c.name("alerts"));
  g.body.attr("resource_group_name", Expr::ref(std::string(kGroup) + ".name"));
  g.body.attr("short_name", "platc");
  std::set<std::string> emails;
  for (const Node* b : c.of_kind("budget"))
    if (const graph::Value* v = b->value("notify"); v && v->kind == graph::ValueKind::List)
      for (const auto& e : v->items) emails.insert(e.plain());
  int k = 0;
  for (const auto& e : emails) {
    hcl::Block& r = g.body.block("email_receiver");
    r.body.attr("name", "email-" + std::to_string(k++));
    r.body.attr("email_address", e);
    r.body.attr("use_common_alert_schema", Expr::boolean(true));
  }
  g.body.attr("tags", Expr::ref("local.tags"));
  for (const auto& a : alerts) alert(f, a);
}

}  // namespace platc::terraform_azure
