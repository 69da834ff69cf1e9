// The check step: the names this backend derives beyond the contract's (whose own names the
// contract's check covers, E0504) against GCP's limits. Both are `<platform>-<env>`: the
// environment's project id (Resource Manager `projects.create`: 6-30 characters, a letter first,
// lower-case letters, digits and hyphens, no hyphen last), the GKE cluster's name (GKE
// `clusters.create`: at most 40 characters) and the pipeline's service accounts of the contract
// (`<platform>-<env>-terraform`, `-deploy`: account ids of 6-30 characters). Also the tags that
// cannot be labels (labels.cpp, E0525) and what Pub/Sub cannot express (E0528: a queue's `delay`).
#include <fmt/format.h>

#include "backends/terraform_gcp/context.h"
#include "backends/terraform_gcp/labels.h"
#include "backends/terraform_gcp/terraform_gcp.h"

namespace platc::terraform_gcp {

void check(const graph::Graph& g, Diagnostics& diags) {
  contract::Deployment d(g);
  std::string prefix = d.prefix();
  if (d.ns().empty()) return;  // the Kubernetes check reports the names
  const graph::Node* platform = nullptr;
  for (const auto& n : g.nodes)
    if (n.kind == "platform") platform = &n;
  if (!platform) return;
  check_labels(g, diags);
  check_unkept(g, diags);
  // Pub/Sub delivers a message as soon as it is published: neither a topic nor a subscription has
  // a delivery delay (only a retry backoff after a nack), so a queue's `delay` cannot be kept.
  for (const auto& n : g.nodes) {
    const graph::Attr* delay = n.kind == "queue" ? n.attr("delay") : nullptr;
    if (!delay || delay->value.i <= 0) continue;
    SourceRange where = delay->history.empty() ? n.name_range() : delay->history.back().range;
    diags
        .report(DiagKind::GcpKindUnmapped, where.valid() ? where : n.name_range(), n.kind, n.id,
                "Pub/Sub has no delivery delay, messages are delivered as soon as they are published")
        .label(fmt::format("`delay = {}` in environment `{}`", delay->value.display(), g.environment))
        .with_help(
            "remove `delay` where the target is GCP, or let the consumer wait (a message's publish time is in "
            "its attributes)");
  }
  struct Part {
    const char* what;
    std::string name;
    std::size_t min, max;
  };
  // One finding says it: every name starts with the prefix.
  const Part parts[] = {{"the environment's project", prefix, 6, 30},
                        {"the GKE cluster", prefix, 1, 40},
                        {"the pipeline's Terraform service account", d.terraform_identity(), 6, 30},
                        {"the pipeline's deploy service account", d.deploy_identity(), 6, 30}};
  for (const Part& p : parts) {
    // A declared project (`account`) is checked by the contract (E0540), not derived.
    if (p.name == prefix && &p == &parts[0] && !d.account().empty()) continue;
    std::string why;
    if (p.name.size() > p.max) why = fmt::format("{} characters, at most {} fit", p.name.size(), p.max);
    if (p.name.size() < p.min) why = fmt::format("{} characters, at least {} are needed", p.name.size(), p.min);
    if (why.empty() && (p.name.front() < 'a' || p.name.front() > 'z')) why = "it must start with a letter";
    if (why.empty()) continue;
    auto& r = diags.report(DiagKind::GcpNameInvalid, platform->name_range(), p.what, p.name, why);
    r.label(fmt::format("`{}` names the project and the cluster of environment `{}`", prefix, g.environment));
    r.with_help(p.name.size() > p.max ? fmt::format("shorten the platform's or the environment's name by {} characters",
                                                    p.name.size() - p.max)
                                      : std::string("lengthen the platform's or the environment's name"));
    return;
  }
}

}  // namespace platc::terraform_gcp
