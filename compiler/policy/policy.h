// Policies: the typed graphs in, findings out. Each rule is a row of a table (rules()): a code of
// the diagnostic registry (P…), a category, and a check over one environment's graph. The engine
// runs every enabled rule on every graph, deduplicates the findings across environments and
// targets, applies the platform's `policy { … }` block (severities, disabled rules) and its
// waivers, and returns ordinary diagnostics. Like every stage it never prints.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "compiler/diag/diagnostic.h"
#include "compiler/graph/graph.h"
#include "compiler/sema/sema.h"

namespace platc::policy {

struct Context;
using CheckFn = void (*)(Context&);

struct Rule {
  DiagKind kind;
  std::string_view category;  // secrets, tags, resources, images, security, data, exposure, delivery, cost
  CheckFn check;
  // Report only what every analysed environment reports (an unused secret is unused in all of them).
  bool all_environments = false;
  std::string_view references;  // CIS / Pod Security Standard / Checkov / kube-linter ids, for docs
};

// Every rule, in code order. The P00xx codes (configuration and waivers) are not rules: they
// cannot be disabled, re-ranked or waived.
const std::vector<Rule>& rules();
const Rule* find_rule(std::string_view code);
// The short title of a code: the first line of its explanation, after `# CODE: `.
std::string title(std::string_view code);
// The first paragraph of its explanation, as plain text.
std::string summary(std::string_view code);
// The whole explanation (markdown), empty when none is embedded.
std::string_view explanation(std::string_view code);

struct Options {
  std::vector<std::string> environments;  // the environments to check; empty: all
  bool no_waivers = false;                // --no-waivers: report waived findings too
  std::string today;                      // YYYY-MM-DD (UTC); empty: the system clock
  // The source text, so that a finding can point inside a string (the password in a connection
  // string, a line of a multi-line string); null: findings point at the whole string.
  const SourceManager* sources = nullptr;
};

// A finding a waiver accepted: not in Result::findings, listed for JSON and SARIF.
struct Waived {
  Diagnostic diag;
  std::string waiver;  // its name
  std::string reason;
  SourceRange waiver_range;  // its `rule = …`
};

struct WaiverInfo {
  std::string name, rule, resource, reason, expires;  // expires: empty when none
  SourceRange where;                                  // its `rule = …`
  std::string status;                                 // used | unused | expired | invalid | ignored
  std::size_t waived = 0;                             // findings it accepted
};

struct Result {
  Diagnostics findings;  // sorted; severities after the policy block's overrides
  std::vector<Waived> waived;
  std::vector<WaiverInfo> waivers;
  std::size_t rules_run = 0;
};

Result run(const sema::Model& model, const Options& opts);

// Marks every attribute whose value the secret detector flags (P0101-P0103, unless the policy
// block disables the rule), waived or not, so that no backend writes it as text (graph::Attr::
// secret). A value included from a `config` group is marked in every workload that includes it.
void mark_secrets(graph::Graph& g);
void mark_secrets(sema::Model& model);

// Today's date in UTC, YYYY-MM-DD.
std::string today_utc();

// docs/policies.md, generated from the rules, their explanations and the policy kind's schema.
std::string policies_markdown(const sema::Schemas& schemas);

}  // namespace platc::policy
