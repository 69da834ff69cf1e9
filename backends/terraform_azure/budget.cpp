// Consumption budgets: the monthly cost of the environment in the subscription, filtered by its
// `environment` tag (every resource of the module carries it, and AKS copies the cluster's tags
// onto the node resource group's resources), with a notification at each `alert_at`, actual or
// forecast. A budget's period starts on the first of the month of the first plan.
#include "backends/terraform_azure/families.h"

namespace platc::terraform_azure {

using graph::Node;

void budget_files(Context& c) {
  auto budgets = c.of_kind("budget");
  if (budgets.empty()) return;
  hcl::File& f = c.file("budget.tf");
  // Azure takes a start in the past only within the current month: the first day of the month of
  // the first plan, kept afterwards (a changed start would replace the budget).
  Expr start = Expr::call("formatdate", {Expr::str("YYYY-MM-01'T'00:00:00Z"), Expr::call("plantimestamp", {})});
  for (const Node* b : budgets) {
    c.note_source(b);
    const graph::Value* limit = b->value("monthly_limit");
    if (!limit) continue;
    hcl::Block& r = f.block("resource", {"azurerm_consumption_budget_subscription", Context::label(b->id)});
    r.body.attr("name", c.name(contract::object_name(b->id)));
    r.body.attr("subscription_id", Expr::tmpl({Expr::str("/subscriptions/"), Expr::ref("var.subscription_id")}));
    r.body.attr("amount", limit->kind == graph::ValueKind::Int ? Expr::number(limit->i) : Expr::number(limit->dec));
    r.body.attr("time_grain", "Monthly");
    r.body.block("time_period").body.attr("start_date", start);
    hcl::Block& tag = r.body.block("filter").body.block("tag");
    tag.body.attr("name", "environment");
    tag.body.attr("values", Expr::strings({c.g.environment}));
    std::vector<std::string> emails;
    if (const graph::Value* v = b->value("notify"); v && v->kind == graph::ValueKind::List)
      for (const auto& e : v->items) emails.push_back(e.plain());
    bool forecast = Context::bool_of(*b, "forecast");
    if (const graph::Value* at = b->value("alert_at"); at && at->kind == graph::ValueKind::List)
      for (const auto& p : at->items) {
        hcl::Block& n = r.body.block("notification");
        n.body.attr("enabled", Expr::boolean(true));
        n.body.attr("operator", "GreaterThan");
        n.body.attr("threshold", Expr::number(p.dec));
        n.body.attr("threshold_type", forecast ? "Forecasted" : "Actual");
        n.body.attr("contact_emails", Expr::strings(emails));
      }
    r.body.block("lifecycle").body.attr("ignore_changes", Expr::tuple({Expr::raw("time_period[0].start_date")}));
  }
}

}  // namespace platc::terraform_azure
