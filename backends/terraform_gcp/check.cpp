// The check step: the names this backend derives beyond the contract's (whose own names the
// contract's check covers, E0504) against GCP's limits. Both are `<platform>-<env>`: the
// environment's project id (Resource Manager `projects.create`: 6-30 characters, a letter first,
// lower-case letters, digits and hyphens, no hyphen last) and the GKE cluster's name (GKE
// `clusters.create`: at most 40 characters).
#include <fmt/format.h>

#include "backends/terraform_gcp/context.h"
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
  struct Part {
    const char* what;
    std::size_t min, max;
  };
  // One finding says it: both names are the prefix, the project's limit is the tighter one.
  for (const Part& p : {Part{"the environment's project", 6, 30}, Part{"the GKE cluster", 1, 40}}) {
    std::string why;
    if (prefix.size() > p.max) why = fmt::format("{} characters, at most {} fit", prefix.size(), p.max);
    if (prefix.size() < p.min) why = fmt::format("{} characters, at least {} are needed", prefix.size(), p.min);
    if (why.empty() && (prefix.front() < 'a' || prefix.front() > 'z')) why = "it must start with a letter";
    if (why.empty()) continue;
    auto& r = diags.report(DiagKind::GcpNameInvalid, platform->name_range(), p.what, prefix, why);
    r.label(fmt::format("`{}` names the project and the cluster of environment `{}`", prefix, g.environment));
    r.with_help(prefix.size() > p.max ? fmt::format("shorten the platform's or the environment's name by {} characters",
                                                    prefix.size() - p.max)
                                      : std::string("lengthen the platform's or the environment's name"));
    return;
  }
}

}  // namespace platc::terraform_gcp
