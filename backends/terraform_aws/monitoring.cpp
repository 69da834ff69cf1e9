// CloudWatch alarms on the managed resources the platform uses (the declared `alert`s are
// Prometheus rules of the Kubernetes output: their expressions are PromQL over the workloads'
// metrics, which CloudWatch does not see), sent to one encrypted SNS topic per environment that
// the budget's `notify` addresses subscribe to.
#include "backends/terraform_aws/families.h"

namespace platc::terraform_aws {

using graph::Node;

namespace {

struct Alarm {
  std::string label, name, ns, metric, dimension, dimension_value, comparison, stat;
  std::int64_t threshold = 0;
  std::string what;
};

void alarm(hcl::File& f, const Alarm& a) {
  hcl::Block& r = f.block("resource", {"aws_cloudwatch_metric_alarm", a.label});
  r.body.attr("alarm_name", a.name);
  r.body.attr("alarm_description", a.what);
  r.body.attr("namespace", a.ns);
  r.body.attr("metric_name", a.metric);
  r.body.attr("dimensions", Expr::object().set(a.dimension, a.dimension_value));
  r.body.attr("statistic", a.stat);
  r.body.attr("period", Expr::number(300));
  r.body.attr("evaluation_periods", Expr::number(3));
  r.body.attr("threshold", Expr::number(a.threshold));
  r.body.attr("comparison_operator", a.comparison);
  r.body.attr("treat_missing_data", "notBreaching");
  r.body.attr("alarm_actions", Expr::tuple({Expr::ref("aws_sns_topic.alarms.arn")}));
  r.body.attr("ok_actions", Expr::tuple({Expr::ref("aws_sns_topic.alarms.arn")}));
  r.body.attr("tags", Expr::object().set("Name", a.name));
}

}  // namespace

void monitoring_files(Context& c) {
  std::vector<Alarm> alarms;
  for (const Node* n : c.of_kind("database")) {
    std::string id = c.cloud_name(*n), l = Context::label(n->id);
    alarms.push_back({l + "_cpu", id + "-cpu", "AWS/RDS", "CPUUtilization", "DBInstanceIdentifier", id,
                      "GreaterThanThreshold", "Average", 80, "database " + n->id + ": CPU above 80% for 15 minutes"});
    alarms.push_back({l + "_storage", id + "-free-storage", "AWS/RDS", "FreeStorageSpace", "DBInstanceIdentifier", id,
                      "LessThanThreshold", "Minimum", 2LL << 30, "database " + n->id + ": less than 2 GiB free"});
  }
  for (const Node* n : c.of_kind("cache")) {
    std::string id = c.cloud_name(*n), l = Context::label(n->id);
    // ElastiCache publishes per node: a replication group's nodes are `<id>-001`, `-002` …
    alarms.push_back({l + "_memory", id + "-memory", "AWS/ElastiCache", "DatabaseMemoryUsagePercentage",
                      "CacheClusterId", id + "-001", "GreaterThanThreshold", "Average", 90,
                      "cache " + n->id + ": memory above 90% for 15 minutes"});
  }
  for (const Node* n : c.of_kind("queue")) {
    std::string id = c.cloud_name(*n), l = Context::label(n->id);
    alarms.push_back({l + "_age", c.prefix + "-" + contract::object_name(n->id) + "-age", "AWS/SQS",
                      "ApproximateAgeOfOldestMessage", "QueueName", id, "GreaterThanThreshold", "Maximum", 900,
                      "queue " + n->id + ": a message waited more than 15 minutes"});
  }
  if (alarms.empty()) return;
  hcl::File& f = c.file("monitoring.tf");
  hcl::Block& t = f.block("resource", {"aws_sns_topic", "alarms"});
  t.body.attr("name", c.name("alarms"));
  t.body.attr("kms_master_key_id", Expr::ref(std::string(kKmsKey) + ".id"));
  t.body.attr("tags", Expr::object().set("Name", c.name("alarms")));
  for (const Node* b : c.of_kind("budget"))
    if (const graph::Value* v = b->value("notify"); v && v->kind == graph::ValueKind::List)
      for (std::size_t k = 0; k < v->items.size(); ++k) {
        hcl::Block& s = f.block("resource", {"aws_sns_topic_subscription", "alarms_" + std::to_string(k)});
        s.body.attr("topic_arn", Expr::ref("aws_sns_topic.alarms.arn"));
        s.body.attr("protocol", "email");
        s.body.attr("endpoint", v->items[k].plain());
      }
  for (const auto& a : alarms) alarm(f, a);
}

}  // namespace platc::terraform_aws
