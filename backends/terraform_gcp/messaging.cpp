// Queues are a Pub/Sub topic with one subscription each (both named like the queue), redriven to
// their `dead_letter` queue's topic after `max_receives` deliveries (Pub/Sub's service agent may
// publish there and acknowledge here, as dead-lettering needs); topics ask for Kafka semantics,
// so they are topics of one Managed Service for Apache Kafka cluster per environment, reached on
// its bootstrap address from the nodes' subnet.
#include <algorithm>

#include "backends/terraform_gcp/families.h"

namespace platc::terraform_gcp {

using graph::Node;

namespace {

std::string seconds(std::int64_t s) {
  return std::to_string(s) + "s";
}

Expr pubsub_agent() {
  return Expr::tmpl({Expr::str("serviceAccount:service-"), Expr::ref("data.google_project.this.number"),
                     Expr::str("@gcp-sa-pubsub.iam.gserviceaccount.com")});
}

}  // namespace

std::string kafka_bootstrap(const Context& c) {
  return "bootstrap." + c.prefix + "." + c.region + ".managedkafka." + c.project + ".cloud.goog:9092";
}

void messaging_files(Context& c) {
  auto queues = c.of_kind("queue");
  auto topics = c.of_kind("topic");
  if (queues.empty() && topics.empty()) return;
  hcl::File& f = c.file("messaging.tf");
  for (const Node* n : queues) {
    c.note_source(n);
    std::string l = Context::label(n->id);
    hcl::Block& t = f.block("resource", {"google_pubsub_topic", l});
    t.body.attr("name", c.cloud_name(*n));
    if (wants_cmek(*n)) t.body.attr("kms_key_name", Expr::ref(std::string(kKmsKey) + ".id"));
    c.add_labels(t.body, n);
    if (wants_cmek(*n)) t.body.attr("depends_on", Expr::tuple({kms_grant("queue")}));
    hcl::Block& s = f.block("resource", {"google_pubsub_subscription", l});
    s.body.attr("name", c.cloud_name(*n));
    s.body.attr("topic", Expr::ref("google_pubsub_topic." + l + ".id"));
    std::int64_t retention = std::clamp<std::int64_t>(Context::int_of(*n, "retention", 4 * 86400), 600, 7 * 86400);
    s.body.attr("message_retention_duration", seconds(retention));
    s.body.attr("ack_deadline_seconds",
                Expr::number(std::clamp<std::int64_t>(Context::int_of(*n, "visibility_timeout", 30), 10, 600)));
    s.body.attr("enable_message_ordering", Expr::boolean(Context::bool_of(*n, "fifo")));
    // A queue lives as long as the platform: never expire for want of subscribers.
    s.body.block("expiration_policy").body.attr("ttl", "");
    hcl::Block& rp = s.body.block("retry_policy");
    rp.body.attr("minimum_backoff", "10s");
    rp.body.attr("maximum_backoff", "600s");
    if (const graph::Value* dl = n->value("dead_letter"); dl && dl->kind == graph::ValueKind::Ref) {
      std::string dll = Context::label(dl->text);
      hcl::Block& d = s.body.block("dead_letter_policy");
      d.body.attr("dead_letter_topic", Expr::ref("google_pubsub_topic." + dll + ".id"));
      d.body.attr("max_delivery_attempts",
                  Expr::number(std::clamp<std::int64_t>(Context::int_of(*n, "max_receives", 5), 5, 100)));
      hcl::Block& pub = f.block("resource", {"google_pubsub_topic_iam_member", l + "_dead_letter"});
      pub.body.attr("topic", Expr::ref("google_pubsub_topic." + dll + ".id"));
      pub.body.attr("role", "roles/pubsub.publisher");
      pub.body.attr("member", pubsub_agent());
      hcl::Block& sub = f.block("resource", {"google_pubsub_subscription_iam_member", l + "_dead_letter"});
      sub.body.attr("subscription", Expr::ref("google_pubsub_subscription." + l + ".id"));
      sub.body.attr("role", "roles/pubsub.subscriber");
      sub.body.attr("member", pubsub_agent());
    }
    c.add_labels(s.body, n);
  }
  if (topics.empty()) return;
  for (const Node* n : topics) c.note_source(n);
  hcl::Block& k = f.block("resource", {"google_managed_kafka_cluster", "main"});
  k.body.attr("cluster_id", c.prefix);
  k.body.attr("location", c.region);
  hcl::Block& cap = k.body.block("capacity_config");
  cap.body.attr("vcpu_count", "3");
  cap.body.attr("memory_bytes", "3221225472");
  hcl::Block& gcp = k.body.block("gcp_config");
  // One cluster holds every topic: its key is the platform's when any topic asks for it.
  bool cmek = std::any_of(topics.begin(), topics.end(), [](const Node* n) { return wants_cmek(*n); });
  if (cmek) gcp.body.attr("kms_key", Expr::ref(std::string(kKmsKey) + ".id"));
  gcp.body.block("access_config")
      .body.block("network_configs")
      .body.attr("subnet", Expr::ref(std::string(kSubnet) + ".id"));
  k.body.block("rebalance_config").body.attr("mode", "AUTO_REBALANCE_ON_SCALE_UP");
  if (cmek) k.body.attr("depends_on", Expr::tuple({kms_grant("topic")}));
  for (const Node* n : topics) {
    std::string l = Context::label(n->id);
    hcl::Block& t = f.block("resource", {"google_managed_kafka_topic", l});
    t.body.attr("topic_id", n->id);
    t.body.attr("cluster", Expr::ref("google_managed_kafka_cluster.main.cluster_id"));
    t.body.attr("location", c.region);
    t.body.attr("partition_count", Expr::number(Context::int_of(*n, "partitions", 3)));
    t.body.attr("replication_factor", Expr::number(Context::int_of(*n, "replication", 3)));
    std::string cleanup = Context::text_of(*n, "cleanup");
    t.body.attr("configs", Expr::object()
                               .set("cleanup.policy", cleanup.empty() ? "delete" : cleanup)
                               .set("retention.ms", std::to_string(Context::int_of(*n, "retention", 7 * 86400) * 1000))
                               .set("min.insync.replicas", "2"));
  }
  hcl::File& o = c.file("outputs.tf");
  o.block("output", {"kafka_bootstrap"}).body.attr("value", kafka_bootstrap(c));
}

}  // namespace platc::terraform_gcp
