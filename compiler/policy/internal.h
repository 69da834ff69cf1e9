// Shared by the policy engine and its rules: the per-graph context, the configuration read from
// the `policy { … }` block, and helpers that find where a finding points.
#pragma once

#include <fmt/format.h>

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "compiler/policy/policy.h"

namespace platc::policy {

struct WaiverDecl {
  std::string name, rule, resource, reason, expires;
  SourceRange rule_range, resource_range, reason_range, expires_range;
};

// The `policy { … }` block of one environment's graph, with its defaults.
struct Config {
  std::vector<std::string> required_tags{"owner", "environment"};
  std::int64_t max_cpu = 4000;                         // millicores
  std::int64_t max_memory = 8LL * 1024 * 1024 * 1024;  // bytes
  std::int64_t min_backup_retention = 7 * 86400;       // seconds
  std::int64_t min_production_backup_retention = 14 * 86400;
  std::optional<std::vector<std::string>> registries;
  std::optional<std::vector<std::string>> production;  // environment names
  std::map<std::string, Severity> severity;
  std::set<std::string> disabled;
  std::vector<WaiverDecl> waivers;
  const graph::Node* node = nullptr;  // the policy block, if written

  bool is_production(const std::string& env) const {
    if (production) {
      for (const auto& p : *production)
        if (p == env) return true;
      return false;
    }
    return env == "production" || env == "prod";
  }
};

Config read_config(const graph::Graph& g);

struct Finding {
  Diagnostic diag;
  std::string resource;  // the node id the finding is about; waivers match it
};

// The secret detector's verdicts on one graph's strings (rules_secrets.cpp), worked out once for
// the three rules that read them.
struct SecretScan;

struct Context {
  const sema::Model& model;
  const graph::Graph& g;
  const Config& cfg;
  std::vector<Finding>& out;
  const SourceManager* sources = nullptr;  // to point inside a string; null: at the whole string
  std::shared_ptr<SecretScan> secret_scan = nullptr;

  bool production() const { return cfg.is_production(g.environment); }

  template <typename... Args>
  Diagnostic& report(DiagKind kind, const graph::Node& n, SourceRange where, Args&&... args) {
    out.push_back({make_diag(kind, where, std::forward<Args>(args)...), n.id});
    return out.back().diag;
  }
};

// "service `backend`", "the pipeline", "platform `shop`".
std::string describe(const graph::Node& n);

// Where a finding about attribute `path` of `n` points: the winning value as the user wrote it;
// when the value is a standard-library default or absent, the block header, with a note saying
// so (added to `d` by note_default).
struct Place {
  SourceRange range;
  bool written = false;  // false: a default or missing, `range` is the block header
};
Place place(const graph::Node& n, std::string_view path);
void note_default(Diagnostic& d, const graph::Node& n, std::string_view path, const Place& p);


// The literal text of a string, or nothing when a part of it is only known at deploy time.
std::optional<std::string> literal(const graph::Value& v);
// Where a value was written, or the block header when it was not (a default).
SourceRange range_of(const graph::Value& v, const graph::Node& n);

// The rules, defined in rules.cpp.
void check_plaintext_secret(Context& c);
void check_high_entropy(Context& c);
void check_known_credential(Context& c);
void check_unused_secret(Context& c);
void check_missing_tags(Context& c);
void check_invalid_tags(Context& c);
void check_missing_resources(Context& c);
void check_resource_max(Context& c);
void check_autoscale_never_scales(Context& c);
void check_autoscale_request(Context& c);
void check_production_replicas(Context& c);
void check_image_tag(Context& c);
void check_image_registry(Context& c);
void check_privileged_port(Context& c);
void check_encryption(Context& c);
void check_backup_retention(Context& c);
void check_point_in_time(Context& c);
void check_cache_tls(Context& c);
void check_cache_auth(Context& c);
void check_public_data(Context& c);
void check_deletion_protection(Context& c);
void check_cluster_data(Context& c);
void check_tls(Context& c);
void check_probes(Context& c);
void check_public_load_balancer(Context& c);
void check_unrestricted_egress(Context& c);
void check_approval(Context& c);
void check_image_scan(Context& c);
void check_budget(Context& c);

}  // namespace platc::policy
