// Queues are SQS queues (encrypted with the platform key, redriven to their `dead_letter` queue);
// topics are one MSK cluster per environment (TLS and IAM authentication, encrypted at rest),
// with enough brokers for the topics' largest replication. The AWS provider has no resource for a
// topic inside MSK: the check step warns (E0529) and the README lists each topic's command.
#include <algorithm>

#include "backends/terraform_aws/families.h"

namespace platc::terraform_aws {

using graph::Node;

void messaging_files(Context& c) {
  auto queues = c.of_kind("queue");
  auto topics = c.of_kind("topic");
  if (queues.empty() && topics.empty()) return;
  hcl::File& f = c.file("messaging.tf");
  for (const Node* n : queues) {
    c.note_source(n);
    std::string l = Context::label(n->id);
    bool fifo = Context::bool_of(*n, "fifo");
    hcl::Block& q = f.block("resource", {"aws_sqs_queue", l});
    q.body.attr("name", c.cloud_name(*n));
    if (fifo) q.body.attr("fifo_queue", Expr::boolean(true));
    q.body.attr("message_retention_seconds", Expr::number(Context::int_of(*n, "retention", 4 * 86400)));
    q.body.attr("visibility_timeout_seconds", Expr::number(Context::int_of(*n, "visibility_timeout", 30)));
    q.body.attr("delay_seconds", Expr::number(Context::int_of(*n, "delay", 0)));
    if (Context::bool_of(*n, "encryption", true)) {
      q.body.attr("kms_master_key_id", Expr::ref(std::string(kKmsKey) + ".arn"));
      q.body.attr("kms_data_key_reuse_period_seconds", Expr::number(300));
    } else {
      q.body.attr("sqs_managed_sse_enabled", Expr::boolean(true));
    }
    if (const graph::Value* dl = n->value("dead_letter"); dl && dl->kind == graph::ValueKind::Ref)
      q.body.attr(
          "redrive_policy",
          Expr::call("jsonencode",
                     {Expr::object()
                          .set("deadLetterTargetArn", Expr::ref("aws_sqs_queue." + Context::label(dl->text) + ".arn"))
                          .set("maxReceiveCount", Expr::number(Context::int_of(*n, "max_receives", 5)))}));
    q.body.attr("tags", c.tags_of(n, c.cloud_name(*n)));
    // Only TLS: a queue policy that refuses plain HTTP, as for buckets.
    hcl::Block& pol = f.block("resource", {"aws_sqs_queue_policy", l});
    pol.body.attr("queue_url", Expr::ref("aws_sqs_queue." + l + ".id"));
    pol.body.attr(
        "policy",
        Expr::call("jsonencode",
                   {Expr::object()
                        .set("Version", "2012-10-17")
                        .set("Statement",
                             Expr::tuple({Expr::object()
                                              .set("Sid", "DenyInsecureTransport")
                                              .set("Effect", "Deny")
                                              .set("Principal", "*")
                                              .set("Action", "sqs:*")
                                              .set("Resource", Expr::ref("aws_sqs_queue." + l + ".arn"))
                                              .set("Condition",
                                                   Expr::object().set("Bool", Expr::object().set("aws:SecureTransport",
                                                                                                 "false")))}))}));
  }
  if (topics.empty()) return;
  for (const Node* n : topics) c.note_source(n);
  hcl::Block& sg = f.block("resource", {"aws_security_group", "kafka"});
  sg.body.attr("name", c.name("kafka"));
  sg.body.attr("description", "MSK brokers: the cluster's pods on TLS and IAM ports");
  sg.body.attr("vpc_id", Expr::ref(std::string(kVpc) + ".id"));
  sg.body.attr("tags", Expr::object().set("Name", c.name("kafka")));
  for (std::int64_t port : c.d.target().kafka_ports) {
    hcl::Block& in = f.block("resource", {"aws_vpc_security_group_ingress_rule", "kafka_" + std::to_string(port)});
    in.body.attr("security_group_id", Expr::ref("aws_security_group.kafka.id"));
    in.body.attr("referenced_security_group_id", Expr::ref(kClusterSg));
    in.body.attr("ip_protocol", "tcp");
    in.body.attr("from_port", Expr::number(port));
    in.body.attr("to_port", Expr::number(port));
    in.body.attr("tags", Expr::object().set("Name", c.name("kafka-" + std::to_string(port))));
  }
  const graph::Value* ev = topics.front()->value("engine");
  std::string version = ev && !ev->text2.empty() ? ev->text2 : "3.6";
  if (std::count(version.begin(), version.end(), '.') == 1) version += ".0";
  hcl::Block& k = f.block("resource", {"aws_msk_cluster", "main"});
  k.body.attr("cluster_name", c.prefix);
  k.body.attr("kafka_version", version);
  // As many brokers per zone as the largest `replication` needs (MSK wants a multiple of the
  // zones): 3 replicas on 2 zones need 4 brokers, or creating the topic fails.
  std::int64_t replicas = 1;
  for (const Node* n : topics) replicas = std::max(replicas, Context::int_of(*n, "replication", 3));
  k.body.attr("number_of_broker_nodes", Expr::raw("length(var.availability_zones) * ceil(" + std::to_string(replicas) +
                                                  " / length(var.availability_zones))"));
  hcl::Block& bi = k.body.block("broker_node_group_info");
  bi.body.attr("instance_type", "kafka.m5.large");
  bi.body.attr("client_subnets", Expr::ref("aws_subnet.private[*].id"));
  bi.body.attr("security_groups", Expr::tuple({Expr::ref("aws_security_group.kafka.id")}));
  bi.body.block("storage_info").body.block("ebs_storage_info").body.attr("volume_size", Expr::number(100));
  hcl::Block& enc = k.body.block("encryption_info");
  enc.body.attr("encryption_at_rest_kms_key_arn", Expr::ref(std::string(kKmsKey) + ".arn"));
  hcl::Block& tr = enc.body.block("encryption_in_transit");
  tr.body.attr("client_broker", "TLS");
  tr.body.attr("in_cluster", Expr::boolean(true));
  k.body.block("client_authentication").body.block("sasl").body.attr("iam", Expr::boolean(true));
  k.body.attr("tags", Expr::object().set("Name", c.prefix));
  // The README's topic commands read the brokers from here (the topics are not Terraform's).
  c.file("outputs.tf")
      .block("output", {"kafka_bootstrap_brokers"})
      .body.attr("value", Expr::ref("aws_msk_cluster.main.bootstrap_brokers_sasl_iam"));
}

}  // namespace platc::terraform_aws
