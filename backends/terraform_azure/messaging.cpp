// Topics are event hubs of one Event Hubs namespace per environment, which workloads reach
// through its Kafka endpoint (9093, TLS) with their managed identity: local (SAS key)
// authentication is off, so no key exists to leak, and the namespace is reached only through
// its private endpoint. Standard keeps events up to 7 days; a topic that keeps them longer makes
// the namespace Premium (up to 90). Queues (Service Bus) are not mapped yet: the check step
// refuses them on Azure (E0527).
#include <algorithm>

#include "backends/terraform_azure/families.h"

namespace platc::terraform_azure {

using graph::Node;

std::int64_t retention_days(const Node& n) {
  std::int64_t s = Context::int_of(n, "retention", 86400);
  return std::max<std::int64_t>(1, (s + 86399) / 86400);
}

void messaging_files(Context& c) {
  auto topics = c.of_kind("topic");
  if (topics.empty()) return;
  hcl::File& f = c.file("messaging.tf");
  std::int64_t longest = 1;
  for (const Node* n : topics) longest = std::max(longest, retention_days(*n));
  hcl::Block& ns = f.block("resource", {"azurerm_eventhub_namespace", "main"});
  placed(ns, events_namespace(c.d));
  ns.body.attr("sku", longest > 7 ? "Premium" : "Standard");
  ns.body.attr("capacity", Expr::number(1));
  ns.body.attr("minimum_tls_version", "1.2");
  ns.body.attr("local_authentication_enabled", Expr::boolean(false));
  ns.body.attr("public_network_access_enabled", Expr::boolean(false));
  ns.body.attr("tags", Expr::ref("local.tags"));
  for (const Node* n : topics) {
    c.note_source(n);
    hcl::Block& h = f.block("resource", {"azurerm_eventhub", Context::label(n->id)});
    // The Kafka topic is the event hub: its name is the block's (contract: output_name).
    h.body.attr("name", n->id);
    h.body.attr("namespace_id", Expr::ref("azurerm_eventhub_namespace.main.id"));
    h.body.attr("partition_count", Expr::number(Context::int_of(*n, "partitions", 1)));
    h.body.attr("message_retention", Expr::number(retention_days(*n)));
  }
  std::string zone = private_zone(c, f, "privatelink.servicebus.windows.net");
  private_endpoint(c, f, "events", events_namespace(c.d), Expr::ref("azurerm_eventhub_namespace.main.id"), "namespace",
                   zone);
}

}  // namespace platc::terraform_azure
