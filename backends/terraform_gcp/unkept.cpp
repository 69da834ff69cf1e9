// The check step's list of what the GCP module deploys without: settings that are valid platc
// and that the other clouds keep, but that GCP (or google 6.50) cannot express. Refusing them
// would refuse platforms that target three clouds (the `eventdriven` example registers Avro
// schemas), dropping them without a word would leave the reader believing they hold; so each is
// a warning (E0532) on the setting, whose help says what the module emits instead. Sources: the
// google provider 6.50 schema (tests/terraform-schemas/google.json.gz: `google_managed_kafka_topic`
// has no `labels`, no Managed Kafka schema registry resource exists), "Create rotation schedules"
// (Secret Manager: a rotation schedule needs Pub/Sub topics to notify).
#include <fmt/format.h>

#include "backends/terraform_gcp/terraform_gcp.h"

namespace platc::terraform_gcp {

namespace {

using graph::Node;

SourceRange where(const Node& n, const graph::Attr& a) {
  const SourceRange& r = a.history.back().range;
  return r.valid() ? r : n.name_range();
}

void warn(Diagnostics& diags, const Node& n, std::string_view path, const graph::Attr& a, std::string why,
          std::string instead) {
  diags.report(DiagKind::GcpSettingNotKept, where(n, a), path, n.kind, n.id, why).with_help(std::move(instead));
}

}  // namespace

void check_unkept(const graph::Graph& g, Diagnostics& diags) {
  for (const Node& n : g.nodes) {
    if (n.kind == "topic") {
      // Topics are Managed Kafka topics (messaging.cpp): google 6.50 has no resource for the
      // Managed Kafka schema registry, so neither the schema nor its compatibility is registered.
      if (const graph::Attr* s = n.written("schema"); s && !s->value.plain().empty())
        warn(diags, n, "schema", *s,
             "google 6.50 has no resource for the Managed Kafka schema registry, so the module registers no schema",
             fmt::format("the topic is created without a schema and its records are not checked; register `{}` "
                         "under the subject `{}-value` yourself (terraform/gcp/README.md says how), or remove "
                         "`schema` where the target is GCP",
                         s->value.plain(), n.id));
      if (const graph::Attr* t = n.written("tags"); t && !t->value.entries.empty())
        warn(diags, n, "tags", *t, "a Managed Kafka topic takes no labels",
             "the topic's cluster carries the platform's labels only; put tags every topic shares on the platform");
    }
    if (n.kind == "secret")
      if (const graph::Attr* r = n.written("rotation"))
        warn(diags, n, "rotation", *r,
             "Secret Manager sends rotation reminders only to Pub/Sub topics, which the module does not make for "
             "secrets",
             "the secret is created without a rotation schedule: nothing reminds anyone; track the rotation "
             "elsewhere, or remove `rotation` where the target is GCP");
    if (n.kind == "bucket")
      if (const graph::Attr* h = n.written("cdn.host"))
        warn(diags, n, "cdn", *h, "the module makes no Cloud CDN load balancer for a bucket yet",
             fmt::format("the bucket is created, and nothing serves `{}`; serve it from the bucket's own URL or "
                         "put a CDN in front yourself",
                         h->value.plain()));
  }
}

}  // namespace platc::terraform_gcp
