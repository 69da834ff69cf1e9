// The check step: the names this backend derives beyond the contract's (whose own names the
// contract's check covers, E0504) against AWS's limits, and workloads whose IAM role would be one
// of the platform's own roles. Sources: IAM `CreateRole` (RoleName, 1-64), MSK `CreateCluster`
// (ClusterName, 1-64), EKS `CreateNodegroup` (nodegroupName, 1-63).
#include <fmt/format.h>

#include <algorithm>

#include "backends/terraform_aws/families.h"
#include "backends/terraform_aws/terraform_aws.h"
#include "compiler/support/names.h"

namespace platc::terraform_aws {

namespace {

using graph::Node;

struct Derived {
  std::string what;  // "the External Secrets role"
  std::string name;
  std::size_t max;
};

void too_long(Diagnostics& diags, const SourceRange& where, const Derived& d, std::size_t around) {
  auto& r = diags.report(DiagKind::AwsNameInvalid, where, d.what, d.name,
                         fmt::format("{} characters, at most {} fit", d.name.size(), d.max));
  r.label(fmt::format("`{}` has {} characters", d.name, d.name.size()));
  if (around < d.max)
    r.with_help(
        fmt::format("shorten the platform's or the environment's name by {} characters", d.name.size() - d.max));
  else
    r.with_help("shorten the platform's or the environment's name");
}

// Topics on MSK: the AWS provider has no resource for a topic inside a cluster, and the brokers
// are reachable only from the VPC, so the module creates the cluster and the README lists the
// commands that create each topic with its settings. Said once per platform, at its first topic,
// so the topics are never silently missing.
void topics_not_created(const graph::Graph& g, Diagnostics& diags) {
  std::vector<const Node*> topics;
  for (const auto& n : g.nodes)
    if (n.kind == "topic") topics.push_back(&n);
  if (topics.empty()) return;
  std::string others = topics.size() == 1   ? std::string()
                       : topics.size() == 2 ? std::string(" nor its other topic")
                                            : fmt::format(" nor its {} other topics", topics.size() - 1);
  auto& r = diags.report(DiagKind::AwsTopicsNotCreated, topics.front()->name_range(), topics.front()->id, others,
                         "the AWS provider cannot create Kafka topics inside MSK");
  r.label("created by no one on AWS unless someone runs the README's commands");
  r.note(
      "their partitions, replication, retention and cleanup apply only when the topics are created with them: "
      "terraform/aws/README.md lists the `kafka-topics.sh` command of each topic, run from inside the cluster's "
      "network once the module is applied");
  // A topic's `schema` is a registry subject on the other clouds' lists; on AWS no registry is
  // emitted (AWS Glue's would need the schema files, which the graph does not carry): said here.
  std::vector<std::string> with_schema;
  for (const Node* t : topics)
    if (t->value("schema")) with_schema.push_back("`" + t->id + "`");
  if (!with_schema.empty()) {
    std::string names;
    for (const auto& n : with_schema) names += (names.empty() ? "" : ", ") + n;
    r.note(
        fmt::format("`schema` and `compatibility` of {} are not kept on AWS either: no schema registry (AWS Glue "
                    "Schema Registry) is emitted, so nothing checks their records; register each schema under "
                    "the subject `<topic>-value` yourself",
                    names));
  }
  r.with_help("apply the module, then run the README's topic commands before the workloads start");
}

// A database's ExternalSecret finds the secret RDS keeps its password in by the tag RDS puts on it,
// the instance's ARN, and AWS matches tag values by prefix (ListSecrets' `tag-value` filter): an
// identifier that begins another one's would find both secrets, and one password would be read for
// the other database.
void rds_prefixes(const graph::Graph& g, const contract::Deployment& d, Diagnostics& diags) {
  std::vector<std::pair<std::string, const Node*>> dbs;
  for (const auto& n : g.nodes)
    if (n.kind == "database") dbs.push_back({d.cloud_name(n), &n});
  std::sort(dbs.begin(), dbs.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (std::size_t i = 0; i < dbs.size(); ++i)
    for (std::size_t j = i + 1; j < dbs.size() && dbs[j].first.starts_with(dbs[i].first); ++j) {
      if (dbs[j].first == dbs[i].first) continue;  // one name for both: E0505
      const Node& shorter = *dbs[i].second;
      const Node& longer = *dbs[j].second;
      diags
          .report(DiagKind::AwsRdsIdentifierPrefix, longer.name_range(), longer.id, dbs[j].first, shorter.id,
                  dbs[i].first)
          .label("its password secret would also match database `" + shorter.id + "`'s tag")
          .also(shorter.name_range(), "database `" + shorter.id + "` is declared here")
          .with_help(fmt::format("rename one of them so that neither name begins with the other (for example "
                                 "`{}` → `{}_main`)",
                                 shorter.id, shorter.id));
    }
}

}  // namespace

void check(const graph::Graph& g, Diagnostics& diags) {
  contract::Deployment d(g);
  std::string prefix = d.prefix();
  if (d.ns().empty()) return;  // the Kubernetes check reports the names
  const Node* platform = nullptr;
  for (const auto& n : g.nodes)
    if (n.kind == "platform") platform = &n;
  if (!platform) return;
  auto named = [&](std::string_view suffix) { return prefix + "-" + std::string(suffix); };
  // The platform's own roles and parts, named after `<platform>-<env>`.
  const std::vector<std::pair<Derived, std::string>> own = {
      {{"the cluster's role", named("cluster"), 64}, "cluster"},
      {{"the nodes' role", named("node"), 64}, "node"},
      {{"the External Secrets Operator's role", named("external-secrets"), 64}, "external-secrets"},
      {{"ExternalDNS's role", named("external-dns"), 64}, "external-dns"},
      {{"the AWS Load Balancer Controller's role", named("aws-lb-controller"), 64}, "aws-lb-controller"},
      {{"the pipeline's deploy role", d.deploy_identity(), 64}, "deploy"},
      {{"the pipeline's Terraform role", d.terraform_identity(), 64}, "terraform"},
      {{"the node group", named("main"), 63}, ""},
      {{"the MSK cluster", prefix, 64}, ""},
  };
  bool reported = false;
  for (const auto& [part, suffix] : own) {
    if (part.name.size() <= part.max || reported) continue;
    if (part.what == "the MSK cluster" &&
        std::none_of(g.nodes.begin(), g.nodes.end(), [](const Node& x) { return x.kind == "topic"; }))
      continue;
    too_long(diags, platform->name_range(), part, part.name.size() - prefix.size());
    reported = true;  // one finding says it: every such name shares the prefix
  }
  topics_not_created(g, diags);
  rds_prefixes(g, d, diags);
  for (const auto& n : g.nodes) {
    std::string k8s = contract::object_name(n.id);
    if (!n.has_trait("workload") || k8s.empty()) continue;
    for (const auto& [part, suffix] : own)
      if (!suffix.empty() && k8s == suffix)
        diags.report(DiagKind::AwsRoleTaken, n.name_range(), n.kind, n.id, d.identity(k8s), part.what)
            .label("its workload identity would be that role")
            .with_help(fmt::format("rename the {} (for example `{}_app`)", n.kind, n.id));
  }
}

}  // namespace platc::terraform_aws
