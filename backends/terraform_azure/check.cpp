// The check step: the names this backend derives beyond the contract's (whose own names the
// contract's check covers, E0504) against Azure's rules, workloads whose managed identity would be
// one of the platform's own (E0526), and what it cannot create as written (E0527: a highly
// available Burstable database, a queue's `delay`, a compacted topic). Sources: Key Vault names 3-24 letters, digits
// and hyphens, starting with a letter, no `--`; container registry names 5-50 letters and digits; Event Hubs and
// Service Bus namespace names 6-50 ("Naming rules and restrictions for Azure resources", Microsoft.KeyVault,
// Microsoft.ContainerRegistry, Microsoft.EventHub, Microsoft.ServiceBus).
#include <fmt/format.h>

#include <algorithm>

#include "backends/terraform_azure/context.h"
#include "backends/terraform_azure/terraform_azure.h"

namespace platc::terraform_azure {

namespace {

using graph::Node;

struct Derived {
  std::string what;  // "the Key Vault"
  std::string name;
  std::size_t min, max;
  bool letter_first = false;
  bool needed = true;
};

std::string problem(const Derived& d) {
  if (d.name.size() > d.max) return fmt::format("{} characters, at most {} fit", d.name.size(), d.max);
  if (d.name.size() < d.min) return fmt::format("{} characters, at least {} are needed", d.name.size(), d.min);
  if (d.letter_first && !(d.name.front() >= 'a' && d.name.front() <= 'z')) return "it must start with a letter";
  if (d.name.find("--") != std::string::npos) return "it must not contain `--`";
  return "";
}

}  // namespace

void check(const graph::Graph& g, Diagnostics& diags) {
  contract::Deployment d(g);
  if (d.ns().empty()) return;  // the Kubernetes check reports the names
  const Node* platform = nullptr;
  bool topics = false, queues = false, images = false;
  for (const auto& n : g.nodes) {
    if (n.kind == "platform") platform = &n;
    if (n.kind == "topic") topics = true;
    if (n.kind == "queue") queues = true;
    if (n.has_trait("workload"))
      if (const graph::Value* v = n.value("image"); v && v->kind == graph::ValueKind::Call && v->text == "build")
        images = true;
  }
  if (!platform) return;
  check_unkept(g, diags);
  const Derived parts[] = {
      {"the Key Vault", key_vault_name(d), 3, 24, true, true},
      {"the container registry", registry_name(d), 5, 50, false, images},
      {"the Event Hubs namespace", events_namespace(d), 6, 50, true, topics},
      {"the Service Bus namespace", d.messaging_namespace(), 6, 50, true, queues},
  };
  for (const auto& p : parts) {
    std::string why = p.needed ? problem(p) : "";
    if (why.empty()) continue;
    auto& r = diags.report(DiagKind::AzureNameInvalid, platform->name_range(), p.what, p.name, why);
    r.label(fmt::format("`{}` is made of the platform's and the environment's names", p.name));
    r.with_help("shorten the platform's or the environment's name");
    break;  // one finding says it: every such name is the prefix
  }
  // The platform's own identities are `<prefix>-<part>`, as a workload's is `<prefix>-<workload>`.
  const char* const own[] = {"external-secrets",    "external-dns",        "deploy", "terraform", "storage-encryption",
                             "database-encryption", "messaging-encryption"};
  for (const auto& n : g.nodes) {
    std::string k8s = contract::object_name(n.id);
    if (n.has_trait("workload") && std::find(std::begin(own), std::end(own), k8s) != std::end(own))
      diags
          .report(DiagKind::AzureNameInvalid, n.name_range(), "the managed identity of the " + n.kind, d.identity(k8s),
                  "it is the name of one of the platform's own identities")
          .label("its workload identity would be that identity")
          .with_help(fmt::format("rename the {} (for example `{}_app`)", n.kind, n.id));
    // Azure Database for PostgreSQL / MySQL: "High availability isn't supported in the Burstable
    // tier"; the server would fail at `terraform apply`.
    const graph::Value* ha = n.value("high_availability");
    const graph::Value* sz = n.value("size");
    std::string size = !sz ? "" : sz->kind == graph::ValueKind::String ? sz->plain() : sz->text;
    if (n.kind == "database" && ha && ha->kind == graph::ValueKind::Bool && ha->b && (size.empty() || size == "small"))
      diags
          .report(DiagKind::AzureKindUnmapped, n.name_range(), n.kind, n.id,
                  "high availability needs a General Purpose server, and `size = small` is a Burstable one")
          .label(fmt::format("`high_availability = true` in environment `{}`", g.environment))
          .with_help("give it `size = medium` or larger where it is highly available");
    // Service Bus delays a message only when its sender schedules it (ScheduledEnqueueTimeUtc): a
    // queue has no delay of its own, so a queue's `delay` cannot be kept.
    const graph::Attr* delay = n.kind == "queue" ? n.attr("delay") : nullptr;
    if (delay && delay->value.i > 0) {
      SourceRange where = delay->history.empty() ? n.name_range() : delay->history.back().range;
      diags
          .report(DiagKind::AzureKindUnmapped, where.valid() ? where : n.name_range(), n.kind, n.id,
                  "a Service Bus queue has no delivery delay, only a sender can schedule a message")
          .label(fmt::format("`delay = {}` in environment `{}`", delay->value.display(), g.environment))
          .with_help(
              "remove `delay` where the target is Azure, and schedule the messages in the sender "
              "(ScheduledEnqueueTimeUtc)");
    }
    // Event Hubs compacts only in the Premium and Dedicated tiers (retention_description
    // `Compact`); the module makes Standard namespaces and writes no cleanup policy yet.
    const graph::Attr* cleanup = n.kind == "topic" ? n.attr("cleanup") : nullptr;
    if (cleanup && cleanup->value.text == "compact") {
      SourceRange where = cleanup->history.empty() ? n.name_range() : cleanup->history.back().range;
      diags
          .report(DiagKind::AzureKindUnmapped, where.valid() ? where : n.name_range(), n.kind, n.id,
                  "log compaction needs an Event Hubs Premium namespace, which the module does not make for it yet")
          .label(fmt::format("`cleanup = compact` in environment `{}`", g.environment))
          .with_help(
              "use `cleanup = delete` where the target is Azure, with a `retention` long enough to replay the "
              "state");
    }
  }
}

}  // namespace platc::terraform_azure
