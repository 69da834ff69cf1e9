// Topics are event hubs of one Event Hubs namespace per environment, which workloads reach
// through its Kafka endpoint (9093, TLS) with their managed identity: local (SAS key)
// authentication is off, so no key exists to leak, and the namespace is reached only through
// its private endpoint. Standard keeps events up to 7 days; a topic that keeps them longer makes
// the namespace Premium (up to 90). Queues are Service Bus queues of the environment's namespace
// (the contract's messaging_namespace), Premium for its private endpoint, Entra ID only: the
// queue's retention as the messages' time to live, its visibility timeout as the lock (at most
// 5 minutes, which clients renew), `max_receives` deliveries before the dead letter, forwarded to
// the `dead_letter` queue; a `fifo` queue takes sessions (ordered per session id). A topic with
// an Avro `schema` gets a schema group of the namespace's schema registry named as the topic,
// with its compatibility (Event Hubs has Backward, Forward and None: `full` becomes Backward, a
// warning of unkept.cpp); the schema itself is registered into the group by the producer's
// serializer or by hand (the README), since azurerm has no resource for a schema.
#include <algorithm>

#include "backends/terraform_azure/families.h"

namespace platc::terraform_azure {

using graph::Node;

std::int64_t retention_days(const Node& n) {
  std::int64_t s = Context::int_of(n, "retention", 86400);
  return std::max<std::int64_t>(1, (s + 86399) / 86400);
}

bool avro_schema(const Node& n) {
  std::string path = Context::text_of(n, "schema");
  return path.size() > 5 && path.compare(path.size() - 5, 5, ".avsc") == 0;
}

namespace {

std::string iso_seconds(std::int64_t s) {
  return "PT" + std::to_string(s) + "S";
}

void queue_files(Context& c, hcl::File& f) {
  auto queues = c.of_kind("queue");
  if (queues.empty()) return;
  // One namespace holds every queue: the environment's key when any queue asks for it, through the
  // identity `P-E-messaging-encryption` (Premium takes a customer-managed key; Service Bus reaches
  // the vault as a trusted Azure service).
  bool cmek =
      std::any_of(queues.begin(), queues.end(), [](const Node* n) { return Context::bool_of(*n, "encryption", true); });
  if (cmek) {
    vault_key(c, f);
    hcl::Block& id = f.block("resource", {"azurerm_user_assigned_identity", "messaging_encryption"});
    placed(id, messaging_encryption_identity(c.d));
    id.body.attr("tags", Expr::ref("local.tags"));
    role(f, "messaging_encryption", "Key Vault Crypto Service Encryption User",
         Expr::ref("azurerm_key_vault_key.data.resource_versionless_id"),
         Expr::ref("azurerm_user_assigned_identity.messaging_encryption.principal_id"),
         "the Service Bus namespace wraps its data keys with the environment's key");
  }
  hcl::Block& ns = f.block("resource", {"azurerm_servicebus_namespace", "main"});
  placed(ns, c.d.messaging_namespace());
  ns.body.attr("sku", "Premium");
  ns.body.attr("capacity", Expr::number(1));
  ns.body.attr("premium_messaging_partitions", Expr::number(1));
  ns.body.attr("minimum_tls_version", "1.2");
  ns.body.attr("local_auth_enabled", Expr::boolean(false));
  ns.body.attr("public_network_access_enabled", Expr::boolean(false));
  if (cmek) {
    Expr identity = Expr::ref("azurerm_user_assigned_identity.messaging_encryption.id");
    hcl::Block& ib = ns.body.block("identity");
    ib.body.attr("type", "UserAssigned");
    ib.body.attr("identity_ids", Expr::tuple({identity}));
    hcl::Block& key = ns.body.block("customer_managed_key");
    key.body.attr("key_vault_key_id", Expr::ref("azurerm_key_vault_key.data.id"));
    key.body.attr("identity_id", identity);
  }
  ns.body.attr("tags", Expr::ref("local.tags"));
  if (cmek) ns.body.attr("depends_on", Expr::tuple({Expr::ref("azurerm_role_assignment.messaging_encryption")}));
  for (const Node* n : queues) {
    c.note_source(n);
    hcl::Block& q = f.block("resource", {"azurerm_servicebus_queue", Context::label(n->id)});
    q.body.attr("name", c.cloud_name(*n));
    q.body.attr("namespace_id", Expr::ref("azurerm_servicebus_namespace.main.id"));
    q.body.attr("default_message_ttl", iso_seconds(Context::int_of(*n, "retention", 4 * 86400)));
    q.body.attr("lock_duration",
                iso_seconds(std::min<std::int64_t>(300, Context::int_of(*n, "visibility_timeout", 30))));
    q.body.attr("max_delivery_count", Expr::number(Context::int_of(*n, "max_receives", 5)));
    if (Context::bool_of(*n, "fifo")) q.body.attr("requires_session", Expr::boolean(true));
    if (const graph::Value* dl = n->value("dead_letter"); dl && dl->kind == graph::ValueKind::Ref) {
      q.body.attr("dead_lettering_on_message_expiration", Expr::boolean(true));
      q.body.attr("forward_dead_lettered_messages_to",
                  Expr::ref("azurerm_servicebus_queue." + Context::label(dl->text) + ".name"));
    }
  }
  std::string zone = private_zone(c, f, "privatelink.servicebus.windows.net");
  private_endpoint(c, f, "queues", c.d.messaging_namespace(), Expr::ref("azurerm_servicebus_namespace.main.id"),
                   "namespace", zone);
}

}  // namespace

void messaging_files(Context& c) {
  if (!c.of_kind("queue").empty()) queue_files(c, c.file("messaging.tf"));
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
    if (!avro_schema(*n)) continue;
    hcl::Block& sg = f.block("resource", {"azurerm_eventhub_namespace_schema_group", Context::label(n->id)});
    sg.body.attr("name", n->id);
    sg.body.attr("namespace_id", Expr::ref("azurerm_eventhub_namespace.main.id"));
    std::string compat = Context::text_of(*n, "compatibility");
    sg.body.attr("schema_compatibility", compat == "forward" ? "Forward" : compat == "none" ? "None" : "Backward");
    sg.body.attr("schema_type", "Avro");
  }
  std::string zone = private_zone(c, f, "privatelink.servicebus.windows.net");
  private_endpoint(c, f, "events", events_namespace(c.d), Expr::ref("azurerm_eventhub_namespace.main.id"), "namespace",
                   zone);
}

}  // namespace platc::terraform_azure
