// The providers' naming rules for the resources the cloud side creates under the contract's
// names, from each provider's API reference (cited in docs/backends.md, "Cloud resource names").
#include "backends/contract/cloud_names.h"

#include "backends/contract/accounts.h"

#include <fmt/format.h>

#include <map>
#include <set>
#include <tuple>

#include "backends/contract/names.h"
#include "compiler/support/names.h"

namespace platc::contract {
namespace {

const CloudNameRule kRules[] = {
    // AWS
    {Cloud::Aws, "database", "RDS DB instance identifier", 1, 63, true, true},
    {Cloud::Aws, "cache", "ElastiCache replication group id", 1, 40, true, true},
    {Cloud::Aws, "queue", "SQS queue name", 1, 80, false, false},
    {Cloud::Aws, "bucket", "S3 bucket name", 3, 63, false, false},
    {Cloud::Aws, "topic", "Kafka topic name", 1, 249, false, false},
    // Google Cloud
    {Cloud::Gcp, "database", "Cloud SQL instance id", 1, 98, true, false},
    {Cloud::Gcp, "cache", "Memorystore instance id", 1, 40, true, false},
    {Cloud::Gcp, "queue", "Pub/Sub subscription id", 3, 255, true, false},
    {Cloud::Gcp, "bucket", "Cloud Storage bucket name", 3, 63, false, false},
    {Cloud::Gcp, "topic", "Pub/Sub topic id", 3, 255, true, false},
    // Azure
    {Cloud::Azure, "database", "flexible server name", 3, 63, false, false},
    {Cloud::Azure, "cache", "Azure Cache for Redis name", 1, 63, false, true},
    {Cloud::Azure, "queue", "Service Bus queue name", 1, 260, false, false},
    {Cloud::Azure, "bucket", "storage account name", 3, 24, false, false},
    {Cloud::Azure, "topic", "Event Hub name", 1, 256, false, false},
    // Workload identities (Deployment::identity): `<platform>-<env>-<workload>`; on GCP the
    // service account id `<workload>-identity` in the environment's project (IAM
    // `projects.serviceAccounts.create`: accountId 6-30, `[a-z]([-a-z0-9]*[a-z0-9])`).
    {Cloud::Aws, "workload", "IAM role name", 1, 64, false, false},
    {Cloud::Gcp, "workload", "service account id", 6, 30, true, false},
    {Cloud::Azure, "workload", "user-assigned identity name", 3, 128, false, false},
};

bool is_letter(char c) {
  return c >= 'a' && c <= 'z';
}

// The longest name of the block that fits, given what the contract puts around it.
std::string suggestion(const CloudNameRule& rule, const Deployment& d, const graph::Node& n) {
  std::string own = object_name(n.id);
  std::string full = n.has_trait("workload") ? d.identity(own) : d.cloud_name(n);
  if (full.size() <= rule.max || own.empty()) return "";
  std::size_t around = full.size() - own.size();
  if (around >= rule.max) return "";
  std::string cut = n.id.substr(0, rule.max - around);
  while (!cut.empty() && (cut.back() == '_' || cut.back() == '-')) cut.pop_back();
  return cut;
}

}  // namespace

const CloudNameRule* cloud_name_rule(Cloud cloud, std::string_view kind) {
  for (const auto& r : kRules)
    if (r.cloud == cloud && r.kind == kind) return &r;
  return nullptr;
}

std::string cloud_name_problem(const CloudNameRule& rule, std::string_view name) {
  if (name.size() > rule.max) return fmt::format("{} characters, at most {} fit", name.size(), rule.max);
  if (name.size() < rule.min) return fmt::format("{} characters, at least {} are needed", name.size(), rule.min);
  if (rule.letter_first && !is_letter(name.front())) return "it must start with a letter";
  if (rule.no_double_hyphen && name.find("--") != std::string_view::npos) return "it must not contain `--`";
  return "";
}

namespace {

// `${media.public_url}` of a bucket that is neither `public` nor behind a `cdn` names nothing: no
// guess, an error at the reference.
void check_public_urls(const graph::Graph& g, const Deployment& d, Diagnostics& diags) {
  std::set<std::tuple<FileId, std::uint32_t, std::uint32_t>> seen;
  for (const auto& e : g.edges) {
    const graph::Node& t = g.nodes[e.to];
    if (t.kind != "bucket" || e.output != "public_url" || d.known_output(t, "public_url")) continue;
    if (!seen.insert({e.where.file, e.where.line, e.where.col}).second) continue;
    diags.report(DiagKind::NoPublicUrl, e.where, t.id, g.environment)
        .label("no public address")
        .also(t.name_range(), fmt::format("bucket `{}` is private here", t.id))
        .with_help(
            fmt::format("serve it through a CDN with `cdn {{ host = \"…\" }}` in bucket `{}`, or make its objects "
                        "readable with `public = true`",
                        t.id));
  }
}

}  // namespace

void check(const graph::Graph& g, Diagnostics& diags) {
  check_environments(g, diags);
  Deployment d(g);
  if (d.target().cloud == Cloud::None || d.ns().empty()) return;  // the Kubernetes check reports the parts
  check_accounts(g, diags);
  std::map<std::string, const graph::Node*> taken;                // cloud name -> the first resource
  for (const auto& n : g.nodes) {
    bool workload = n.has_trait("workload");
    const CloudNameRule* rule = cloud_name_rule(d.target().cloud, workload ? "workload" : n.kind);
    if (!rule || object_name(n.id).empty()) continue;
    // A workload name Kubernetes refuses is reported once, by the Kubernetes check (E0431).
    if (workload && !name_problem(k8s_spelling(n.id), kMaxObjectName).empty()) continue;
    std::string name = workload ? d.identity(object_name(n.id)) : d.cloud_name(n);
    if (std::string why = cloud_name_problem(*rule, name); !why.empty()) {
      auto& r = diags.report(DiagKind::CloudNameInvalid, n.name_range(), n.kind, n.id, rule->resource, name, why)
                    .label(fmt::format("becomes `{}` on {}", name, d.target().name))
                    .note(workload && d.target().cloud == Cloud::Gcp
                              ? std::string("the cloud side names it `<name>-identity`, in the environment's project")
                              : fmt::format("the cloud side names it `<platform>-<environment>-<name>`{}",
                                            d.target().cloud == Cloud::Azure && n.kind == "bucket"
                                                ? " without hyphens, cut to 24 characters"
                                                : ""));
      if (std::string better = suggestion(*rule, d, n); !better.empty())
        r.with_help(fmt::format("shorten the name, for example to `{}`", better));
      else
        r.with_help("shorten the platform's, the environment's or the block's name");
      continue;
    }
    if (workload) continue;  // two workloads with one name are one Kubernetes object: E0432
    auto [it, fresh] = taken.emplace(n.kind + "/" + name, &n);
    if (!fresh)
      diags.report(DiagKind::CloudNameClash, n.name_range(), it->second->id, n.id, rule->resource, name)
          .label(fmt::format("{} `{}` becomes `{}`", n.kind, n.id, name))
          .also(it->second->name_range(), fmt::format("and so does {} `{}`", it->second->kind, it->second->id))
          .note(fmt::format("a {} has at most {} characters: the ends of both names are cut off", rule->resource,
                            rule->max))
          .with_help("make the two names differ in their first characters, or shorten them");
  }
  check_public_urls(g, d, diags);
}

}  // namespace platc::contract
