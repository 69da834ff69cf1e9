// Cloud Monitoring alert policies on the managed resources the platform uses (the declared
// `alert`s are Prometheus rules of the Kubernetes output: their expressions are PromQL over the
// workloads' metrics), sent to e-mail channels of the budget's `notify` addresses; the metric
// filters name the resources by the names the dashboards query. Billing budgets per `budget`.
#include "backends/terraform_gcp/families.h"

namespace platc::terraform_gcp {

using graph::Node;

namespace {

struct Alert {
  std::string label, name, filter, comparison, aligner;
  std::string threshold;
  std::string what;
};

std::vector<std::string> emails(const Context& c) {
  std::vector<std::string> out;
  for (const Node* b : c.of_kind("budget"))
    if (const graph::Value* v = b->value("notify"); v && v->kind == graph::ValueKind::List)
      for (const auto& e : v->items) out.push_back(e.plain());
  return out;
}

Expr channels(const Context& c) {
  Expr t = Expr::tuple();
  for (std::size_t k = 0; k < emails(c).size(); ++k)
    t.push(Expr::ref("google_monitoring_notification_channel.email_" + std::to_string(k) + ".id"));
  return t;
}

}  // namespace

void monitoring_files(Context& c) {
  std::vector<Alert> alerts;
  for (const Node* n : c.of_kind("database")) {
    std::string id = c.project + ":" + c.cloud_name(*n), l = Context::label(n->id);
    std::string res = "resource.type = \"cloudsql_database\" AND resource.labels.database_id = \"" + id + "\"";
    alerts.push_back({l + "_cpu", c.cloud_name(*n) + "-cpu",
                      res + " AND metric.type = \"cloudsql.googleapis.com/database/cpu/utilization\"", "COMPARISON_GT",
                      "ALIGN_MEAN", "0.8", "database " + n->id + ": CPU above 80% for 15 minutes"});
    alerts.push_back({l + "_disk", c.cloud_name(*n) + "-disk",
                      res + " AND metric.type = \"cloudsql.googleapis.com/database/disk/utilization\"", "COMPARISON_GT",
                      "ALIGN_MAX", "0.9", "database " + n->id + ": disk above 90%"});
  }
  for (const Node* n : c.of_kind("cache")) {
    std::string l = Context::label(n->id);
    alerts.push_back({l + "_memory", c.cloud_name(*n) + "-memory",
                      "resource.type = \"redis_instance\" AND resource.labels.instance_id = \"projects/" + c.project +
                          "/locations/" + c.region + "/instances/" + c.cloud_name(*n) +
                          "\" AND metric.type = \"redis.googleapis.com/stats/memory/usage_ratio\"",
                      "COMPARISON_GT", "ALIGN_MEAN", "0.9", "cache " + n->id + ": memory above 90% for 15 minutes"});
  }
  for (const Node* n : c.of_kind("queue")) {
    std::string l = Context::label(n->id);
    alerts.push_back(
        {l + "_age", c.cloud_name(*n) + "-age",
         "resource.type = \"pubsub_subscription\" AND resource.labels.subscription_id = \"" + c.cloud_name(*n) +
             "\" AND metric.type = \"pubsub.googleapis.com/subscription/oldest_unacked_message_age\"",
         "COMPARISON_GT", "ALIGN_MAX", "900", "queue " + n->id + ": a message waited more than 15 minutes"});
  }
  if (alerts.empty()) return;
  hcl::File& f = c.file("monitoring.tf");
  std::vector<std::string> to = emails(c);
  for (std::size_t k = 0; k < to.size(); ++k) {
    hcl::Block& ch = f.block("resource", {"google_monitoring_notification_channel", "email_" + std::to_string(k)});
    ch.body.attr("display_name", c.prefix + " " + to[k]);
    ch.body.attr("type", "email");
    ch.body.attr("labels", Expr::object().set("email_address", to[k]));
  }
  for (const auto& a : alerts) {
    hcl::Block& p = f.block("resource", {"google_monitoring_alert_policy", a.label});
    p.body.attr("display_name", a.name);
    p.body.attr("combiner", "OR");
    hcl::Block& cond = p.body.block("conditions");
    cond.body.attr("display_name", a.what);
    hcl::Block& t = cond.body.block("condition_threshold");
    t.body.attr("filter", a.filter);
    t.body.attr("comparison", a.comparison);
    t.body.attr("threshold_value", Expr::number_text(a.threshold));
    t.body.attr("duration", "900s");
    hcl::Block& ag = t.body.block("aggregations");
    ag.body.attr("alignment_period", "300s");
    ag.body.attr("per_series_aligner", a.aligner);
    p.body.attr("notification_channels", channels(c));
    p.body.attr("user_labels", Expr::ref("local.labels"));
  }
}

void budget_files(Context& c) {
  auto budgets = c.of_kind("budget");
  if (budgets.empty()) return;
  hcl::File& f = c.file("budget.tf");
  c.var({"billing_account", "string",
         "The billing account the environment's project is charged to: its id, as `gcloud billing accounts list` "
         "prints it.",
         std::nullopt, std::nullopt, false});
  bool any_channel = !emails(c).empty() && !c.file("monitoring.tf").items().empty();
  for (const Node* b : budgets) {
    c.note_source(b);
    const graph::Value* limit = b->value("monthly_limit");
    if (!limit) continue;
    hcl::Block& r = f.block("resource", {"google_billing_budget", Context::label(b->id)});
    r.body.attr("billing_account", Expr::ref("var.billing_account"));
    r.body.attr("display_name", c.name(contract::object_name(b->id)));
    hcl::Block& filt = r.body.block("budget_filter");
    filt.body.attr("projects",
                   Expr::tuple({Expr::tmpl({Expr::str("projects/"), Expr::ref("data.google_project.this.number")})}));
    filt.body.attr("calendar_period", "MONTH");
    hcl::Block& amt = r.body.block("amount").body.block("specified_amount");
    amt.body.attr("currency_code", "USD");
    amt.body.attr("units",
                  limit->kind == graph::ValueKind::Int ? std::to_string(limit->i) : graph::format_decimal(limit->dec));
    bool forecast = Context::bool_of(*b, "forecast");
    if (const graph::Value* at = b->value("alert_at"); at && at->kind == graph::ValueKind::List)
      for (const auto& p : at->items) {
        hcl::Block& t = r.body.block("threshold_rules");
        t.body.attr("threshold_percent", Expr::number(Decimal{p.dec.mantissa, p.dec.scale + 2}));
        t.body.attr("spend_basis", forecast ? "FORECASTED_SPEND" : "CURRENT_SPEND");
      }
    hcl::Block& u = r.body.block("all_updates_rule");
    if (any_channel) u.body.attr("monitoring_notification_channels", channels(c));
    u.body.attr("disable_default_iam_recipients", Expr::boolean(false));
  }
}

}  // namespace platc::terraform_gcp
