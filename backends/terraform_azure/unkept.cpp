// The check step's list of what the Azure module deploys without: settings that are valid platc
// and that other clouds keep, but that Azure (or azurerm 4.55) cannot express. Refusing them
// would refuse platforms that target three clouds, dropping them without a word would leave the
// reader believing they hold; so each is a warning (E0533) on the setting, whose help says what
// the module emits instead. Sources: the azurerm 4.55 schema (tests/terraform-schemas/:
// `azurerm_eventhub` and `azurerm_servicebus_queue` take no `tags`; a schema group's
// `schema_type` is Avro or Unknown and its `schema_compatibility` None, Backward or Forward;
// Key Vault rotation policies exist for keys, not secrets), "Networking overview for Azure
// Database for PostgreSQL/MySQL flexible server" (private access, VNet integration, cannot be
// made public later), "Put Block" (Blob service: uncommitted blocks are discarded after a week).
#include <fmt/format.h>

#include "backends/terraform_azure/context.h"
#include "backends/terraform_azure/terraform_azure.h"

namespace platc::terraform_azure {

namespace {

using graph::Node;

void warn(Diagnostics& diags, const Node& n, std::string_view path, const graph::Attr& a, std::string why,
          std::string instead) {
  const SourceRange& r = a.history.back().range;
  diags.report(DiagKind::AzureSettingNotKept, r.valid() ? r : n.name_range(), path, n.kind, n.id, why)
      .with_help(std::move(instead));
}

bool has_entries(const graph::Attr* a) {
  return a && !a->value.entries.empty();
}

void check_topic(const Node& n, Diagnostics& diags) {
  const graph::Attr* schema = n.written("schema");
  if (schema && !avro_schema(n))
    warn(diags, n, "schema", *schema, "the Event Hubs schema groups of azurerm 4.55 hold Avro schemas only (`.avsc`)",
         "the topic is created without a schema group and its records are not checked; use an Avro schema, or "
         "remove `schema` where the target is Azure");
  const graph::Attr* compat = n.written("compatibility");
  if (schema && avro_schema(n) && compat && compat->value.text == "full")
    warn(diags, n, "compatibility", *compat, "Event Hubs schema groups check Backward, Forward or None, not both",
         "the topic's schema group checks `Backward` (consumers on a new schema read old records); check forward "
         "compatibility before registering, or write `compatibility = backward` where the target is Azure");
  if (const graph::Attr* t = n.written("tags"); has_entries(t))
    warn(diags, n, "tags", *t, "an event hub takes no tags",
         "the topic's Event Hubs namespace carries the platform's tags only; put tags every topic shares on the "
         "platform");
}

}  // namespace

void check_unkept(const graph::Graph& g, Diagnostics& diags) {
  for (const Node& n : g.nodes) {
    if (n.kind == "topic") check_topic(n, diags);
    if (n.kind == "queue")
      if (const graph::Attr* t = n.written("tags"); has_entries(t))
        warn(diags, n, "tags", *t, "a Service Bus queue takes no tags",
             "the queue's Service Bus namespace carries the platform's tags only; put tags every queue shares on "
             "the platform");
    if (n.kind == "secret")
      if (const graph::Attr* r = n.written("rotation"))
        warn(diags, n, "rotation", *r, "Key Vault has rotation policies for keys, not for secrets",
             "the secret is created without an expiry or a reminder: nothing reminds anyone; track the rotation "
             "elsewhere, or remove `rotation` where the target is Azure");
    if (n.kind == "database")
      if (const graph::Attr* p = n.written("public"); p && p->value.b)
        warn(diags, n, "public", *p,
             "a Flexible Server with private access (in the VNet) cannot also be reached from the internet",
             "the server is created private, reachable from the cluster's network only; reach it through the "
             "cluster (`kubectl port-forward`), or write `public = false` where the target is Azure");
    if (n.kind == "bucket") {
      if (const graph::Attr* h = n.written("cdn.host"))
        warn(diags, n, "cdn", *h, "the module makes no Front Door for a bucket yet",
             fmt::format("the storage account is created, and nothing serves `{}`", h->value.plain()));
      if (const graph::Attr* a = n.written("lifecycle.abort_uploads_after"); a && a->value.i != 7 * 86400)
        warn(diags, n, "lifecycle.abort_uploads_after", *a,
             "Azure Blob Storage discards the uncommitted blocks of an upload after 7 days, and no rule changes that",
             "uncommitted blocks are discarded after 7 days; remove `abort_uploads_after` where the target is Azure");
    }
  }
}

}  // namespace platc::terraform_azure
