// The cloud account an environment deploys into, `account` of its block: the AWS account id, the
// GCP project id, the Azure subscription id (one string with one target, a map by cloud with
// several). Declared, it completes at compile time what otherwise only exists once the cloud side
// is applied: the role ARNs of the ServiceAccounts (AWS), the project every service account
// e-mail names (GCP), the subscription the providers and the pipeline log in to. Each cloud's
// format is checked here, before anything is built on it.
#include "backends/contract/accounts.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cctype>

#include "backends/contract/cloud_names.h"
#include "backends/contract/names.h"

namespace platc::contract {

namespace {

bool all_of_class(std::string_view s, int (*is)(int)) {
  return std::all_of(s.begin(), s.end(), [is](char c) { return is(static_cast<unsigned char>(c)) != 0; });
}

// Why `id` cannot be an account of `cloud`, in words; empty when it can.
std::string account_problem(Cloud cloud, std::string_view id) {
  switch (cloud) {
    case Cloud::Aws:
      if (id.size() == 12 && all_of_class(id, isdigit)) return "";
      return "an AWS account id is 12 digits, such as `123456789012`";
    case Cloud::Gcp: {
      // Google's project id rule: 6 to 30 characters, lower-case letters, digits and hyphens,
      // starting with a letter and not ending with a hyphen.
      bool chars = std::all_of(id.begin(), id.end(),
                               [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; });
      if (id.size() >= 6 && id.size() <= 30 && chars && id.front() >= 'a' && id.front() <= 'z' && id.back() != '-')
        return "";
      return "a GCP project id is 6 to 30 lower-case letters, digits and hyphens, starting with a letter and not "
             "ending with a hyphen";
    }
    case Cloud::Azure: {
      // A subscription id is a GUID: 8-4-4-4-12 hexadecimal digits.
      static constexpr std::size_t kGroups[] = {8, 4, 4, 4, 12};
      std::size_t at = 0;
      bool ok = true;
      for (std::size_t g = 0; g < 5 && ok; ++g) {
        std::string_view part = id.substr(std::min(at, id.size()), kGroups[g]);
        ok = part.size() == kGroups[g] && all_of_class(part, isxdigit);
        at += kGroups[g];
        if (g < 4) ok = ok && at < id.size() && id[at] == '-';
        ++at;
      }
      if (ok && at == id.size() + 1) return "";
      return "an Azure subscription id is a GUID, such as `0b1f6471-1bf0-4dda-aec3-cb9272f09590`";
    }
    case Cloud::None:
      break;
  }
  return "";
}

std::string_view what(Cloud cloud) {
  switch (cloud) {
    case Cloud::Aws:
      return "AWS account";
    case Cloud::Gcp:
      return "GCP project";
    case Cloud::Azure:
      return "Azure subscription";
    case Cloud::None:
      break;
  }
  return "account";
}

std::vector<std::string> platform_targets(const graph::Graph& g) {
  std::vector<std::string> out;
  for (const auto& n : g.nodes)
    if (n.kind == "platform")
      if (const graph::Value* t = n.value("targets"); t && t->kind == graph::ValueKind::List)
        for (const auto& item : t->items) out.push_back(item.text);
  return out;
}

}  // namespace

std::string account_of(const graph::Node& environment, std::string_view target_name) {
  const graph::Value* v = environment.value("account");
  if (!v) return "";
  if (v->kind == graph::ValueKind::String) return v->plain();
  if (v->kind == graph::ValueKind::Map)
    for (const auto& [cloud, id] : v->entries)
      if (cloud == target_name) return id.plain();
  return "";
}

void check_accounts(const graph::Graph& g, Diagnostics& diags) {
  const graph::Node* e = g.environment_node();
  const graph::Value* v = e ? e->value("account") : nullptr;
  if (!v) return;
  std::vector<std::string> targets = platform_targets(g);
  auto report = [&](const SourceRange& where, Cloud cloud, const std::string& id, const std::string& why) {
    // The console shows an AWS account id with hyphens (`1234-5678-9012`); ARNs take the digits.
    std::string digits;
    for (char c : id)
      if (c != '-' && c != ' ') digits += c;
    bool aws_grouped = cloud == Cloud::Aws && digits != id && account_problem(cloud, digits).empty();
    diags.report(DiagKind::AccountInvalid, where, id, what(cloud), e->name, why)
        .label(fmt::format("not a valid {}", what(cloud)))
        .note("the account completes what the Kubernetes output and the pipeline name before the cloud side exists")
        .with_help(aws_grouped ? fmt::format("write the digits only: `\"{}\"`", digits)
                               : fmt::format("write the {} id as the cloud's console shows it", what(cloud)));
  };
  if (v->kind == graph::ValueKind::String) {
    if (targets.size() > 1) {
      diags.report(DiagKind::AccountAmbiguous, v->range, e->name, fmt::format("{}", fmt::join(targets, ", ")))
          .label("one account for several clouds")
          .with_help(fmt::format("name the account of each cloud: `account = {{ {} = \"…\" }}`", targets.front()));
      return;
    }
    const Target& t = target(targets.empty() ? "" : targets.front());
    if (std::string why = account_problem(t.cloud, v->plain()); !why.empty())
      report(v->range, t.cloud, v->plain(), why);
    return;
  }
  if (v->kind != graph::ValueKind::Map) return;
  for (std::size_t i = 0; i < v->entries.size(); ++i) {
    const auto& [cloud, id] = v->entries[i];
    const SourceRange& key = i < v->key_ranges.size() && v->key_ranges[i].valid() ? v->key_ranges[i] : id.range;
    if (std::find(targets.begin(), targets.end(), cloud) == targets.end()) {
      diags.report(DiagKind::AccountCloudUnknown, key, cloud, e->name, fmt::format("{}", fmt::join(targets, ", ")))
          .label("not a target of the platform")
          .with_help(targets.empty() ? std::string("add the cloud to the platform's `targets`")
                                     : fmt::format("use one of the platform's targets: {}", fmt::join(targets, ", ")));
      continue;
    }
    const Target& t = target(cloud);
    if (std::string why = account_problem(t.cloud, id.plain()); !why.empty())
      report(id.range, t.cloud, id.plain(), why);
  }
}

}  // namespace platc::contract
