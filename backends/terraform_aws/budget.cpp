// AWS Budgets: the monthly cost of the environment (filtered by its `environment` tag, which
// default_tags puts on every resource) with a notification at each `alert_at`, actual or forecast.
#include "backends/terraform_aws/families.h"

namespace platc::terraform_aws {

using graph::Node;

void budget_files(Context& c) {
  auto budgets = c.of_kind("budget");
  if (budgets.empty()) return;
  hcl::File& f = c.file("budget.tf");
  for (const Node* b : budgets) {
    c.note_source(b);
    const graph::Value* limit = b->value("monthly_limit");
    if (!limit) continue;
    hcl::Block& r = f.block("resource", {"aws_budgets_budget", Context::label(b->id)});
    r.body.attr("name", c.name(contract::object_name(b->id)));
    r.body.attr("budget_type", "COST");
    r.body.attr("time_unit", "MONTHLY");
    r.body.attr("limit_amount",
                limit->kind == graph::ValueKind::Int ? std::to_string(limit->i) : graph::format_decimal(limit->dec));
    r.body.attr("limit_unit", "USD");
    hcl::Block& cf = r.body.block("cost_filter");
    cf.body.attr("name", "TagKeyValue");
    cf.body.attr("values", Expr::strings({"user:environment$" + c.g.environment}));
    std::vector<std::string> emails;
    if (const graph::Value* v = b->value("notify"); v && v->kind == graph::ValueKind::List)
      for (const auto& e : v->items) emails.push_back(e.plain());
    bool forecast = Context::bool_of(*b, "forecast");
    if (const graph::Value* at = b->value("alert_at"); at && at->kind == graph::ValueKind::List)
      for (const auto& p : at->items) {
        hcl::Block& n = r.body.block("notification");
        n.body.attr("comparison_operator", "GREATER_THAN");
        n.body.attr("threshold", Expr::number(p.dec));
        n.body.attr("threshold_type", "PERCENTAGE");
        n.body.attr("notification_type", forecast ? "FORECASTED" : "ACTUAL");
        n.body.attr("subscriber_email_addresses", Expr::strings(emails));
      }
    r.body.attr("tags", Expr::object().set("Name", c.name(contract::object_name(b->id))));
  }
}

}  // namespace platc::terraform_aws
