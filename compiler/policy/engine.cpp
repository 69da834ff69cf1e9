// The policy engine: configuration, running the rules per graph, deduplication across
// environments and targets, severities, disabled rules and waivers.
#include <algorithm>
#include <ctime>
#include <map>
#include <set>
#include <tuple>

#include "compiler/diag/explanations.h"
#include "compiler/policy/internal.h"

namespace platc::policy {

using graph::Attr;
using graph::Node;
using graph::Origin;
using graph::Value;
using graph::ValueKind;

const std::vector<Rule>& rules() {
  static const std::vector<Rule> kRules = {
      {DiagKind::PolicyPlaintextSecret, "secrets", check_plaintext_secret, false,
       "Checkov CKV_SECRET_6; kube-linter env-var-secret; CIS Kubernetes 5.4.1"},
      {DiagKind::PolicyHighEntropy, "secrets", check_high_entropy, false,
       "Checkov CKV_SECRET_6 (entropy); detect-secrets"},
      {DiagKind::PolicyKnownCredential, "secrets", check_known_credential, false,
       "Checkov CKV_SECRET_2/4/6/9/13/14; gitleaks; CIS Kubernetes 5.4.1"},
      {DiagKind::PolicyUnusedSecret, "secrets", check_unused_secret, true, "CIS Kubernetes 5.4.1 (least privilege)"},
      {DiagKind::PolicyMissingTags, "tags", check_missing_tags, false,
       "AWS tagging best practices; Azure Policy require-a-tag"},
      {DiagKind::PolicyInvalidTag, "tags", check_invalid_tags, false,
       "AWS/GCP/Azure tag and label syntax; Kubernetes labels"},
      {DiagKind::PolicyMissingResources, "resources", check_missing_resources, false,
       "kube-linter unset-cpu-requirements, unset-memory-requirements; Checkov CKV_K8S_10-13"},
      {DiagKind::PolicyResourceAboveMax, "resources", check_resource_max, false, "Kubernetes LimitRange"},
      {DiagKind::PolicyAutoscaleNeverScales, "resources", check_autoscale_never_scales, false,
       "kube-linter hpa-minimum-three-replicas (related)"},
      {DiagKind::PolicyProductionReplicas, "resources", check_production_replicas, false,
       "kube-linter minimum-three-replicas, no-pod-disruption-budget (related)"},
      {DiagKind::PolicyAutoscaleNoRequest, "resources", check_autoscale_request, false,
       "Kubernetes HorizontalPodAutoscaler (resource metrics need requests)"},
      {DiagKind::PolicyImageTag, "images", check_image_tag, false,
       "kube-linter latest-tag; Checkov CKV_K8S_14, CKV_K8S_43"},
      {DiagKind::PolicyImageRegistry, "images", check_image_registry, false,
       "Checkov CKV_K8S_14 (registry); OPA allowed-repos"},
      {DiagKind::PolicyPrivilegedPort, "security", check_privileged_port, false,
       "kube-linter privileged-ports; Pod Security Standard restricted (runAsNonRoot, capabilities)"},
      {DiagKind::PolicyNoEncryption, "data", check_encryption, false,
       "CIS AWS 2.1.1, 2.3.1; Checkov CKV_AWS_16, CKV_AWS_19, CKV_AWS_29, CKV_AWS_27"},
      {DiagKind::PolicyBackupRetention, "data", check_backup_retention, false, "Checkov CKV_AWS_133; CIS GCP 6.7"},
      {DiagKind::PolicyPublicData, "data", check_public_data, false,
       "CIS AWS 2.1.4, 2.3.3; Checkov CKV_AWS_17, CKV_AWS_20"},
      {DiagKind::PolicyDeletionProtection, "data", check_deletion_protection, false, "Checkov CKV_AWS_293, CKV_GCP_81"},
      {DiagKind::PolicyNoPointInTime, "data", check_point_in_time, false,
       "AWS RDS and GCP Cloud SQL point-in-time recovery"},
      {DiagKind::PolicyCacheNoTls, "data", check_cache_tls, false,
       "Checkov CKV_AWS_30 (ElastiCache in-transit encryption); Memorystore in-transit encryption"},
      {DiagKind::PolicyCacheNoAuth, "data", check_cache_auth, false,
       "Checkov CKV_AWS_31 (ElastiCache auth token); Memorystore AUTH; Azure Cache access keys"},
      {DiagKind::PolicyClusterData, "data", check_cluster_data, false,
       "AWS Well-Architected REL09 (back up data); Kubernetes VolumeSnapshots"},
      {DiagKind::PolicyNoTls, "exposure", check_tls, false,
       "Checkov CKV_AWS_2 (ALB listener HTTPS), CKV_AWS_103 (TLS 1.2)"},
      {DiagKind::PolicyNoProbes, "exposure", check_probes, false,
       "kube-linter no-liveness-probe, no-readiness-probe; Checkov CKV_K8S_8, CKV_K8S_9"},
      {DiagKind::PolicyPublicLoadBalancer, "exposure", check_public_load_balancer, false,
       "Kubernetes Service loadBalancerSourceRanges (the cloud firewall in front of a LoadBalancer)"},
      {DiagKind::PolicyUnrestrictedEgress, "exposure", check_unrestricted_egress, false,
       "NIST SP 800-41 Rev. 1 (egress filtering); Kubernetes NetworkPolicy egress ipBlock"},
      {DiagKind::PolicyNoApproval, "delivery", check_approval, false, "OpenSSF Scorecard Branch-Protection; SLSA"},
      {DiagKind::PolicyNoImageScan, "delivery", check_image_scan, false,
       "CIS Software Supply Chain 2.3; OpenSSF Scorecard"},
      {DiagKind::PolicyNoBudget, "cost", check_budget, false, "AWS Well-Architected COST02-BP05"},
  };
  return kRules;
}

const Rule* find_rule(std::string_view code) {
  for (const auto& r : rules())
    if (diag_info(r.kind).code == code) return &r;
  return nullptr;
}

std::string_view explanation(std::string_view code) {
  for (const auto& f : embedded_explain())
    if (f.name == code) return f.content;
  return {};
}

std::string title(std::string_view code) {
  std::string_view text = explanation(code);
  std::string_view first = text.substr(0, text.find('\n'));
  std::string prefix = "# " + std::string(code) + ": ";
  if (first.starts_with(prefix)) return std::string(first.substr(prefix.size()));
  const DiagKindInfo* info = find_diag_code(code);
  return info ? std::string(info->format) : std::string(code);
}

std::string summary(std::string_view code) {
  std::string_view text = explanation(code);
  auto nl = text.find('\n');
  if (nl == std::string_view::npos) return "";
  std::string_view rest = text.substr(nl + 1);
  while (rest.starts_with("\n")) rest.remove_prefix(1);
  auto end = rest.find("\n\n");
  std::string para(rest.substr(0, end));
  std::replace(para.begin(), para.end(), '\n', ' ');
  return para;
}

std::string today_utc() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

// ---- helpers for the rules -------------------------------------------------------------------

std::string describe(const Node& n) {
  if (n.name.empty()) return "the " + n.kind;
  return fmt::format("{} `{}`", n.kind, n.id);
}

Place place(const Node& n, std::string_view path) {
  if (const Attr* a = n.written(path)) {
    SourceRange r = a->value.range.valid() ? a->value.range : a->history.back().range;
    if (r.valid()) return {r, true};
  }
  return {n.where, false};
}

void note_default(Diagnostic& d, const Node& n, std::string_view path, const Place& p) {
  if (p.written) return;
  if (const Attr* a = n.attr(path))
    d.note(fmt::format("`{}` is not set in {}, so the standard library's default `{}` applies", path, describe(n),
                       a->value.display()));
  else
    d.note(fmt::format("`{}` is not set in {}", path, describe(n)));
}

// ---- configuration ---------------------------------------------------------------------------

namespace {

std::vector<std::string> strings(const Value& v) {
  std::vector<std::string> out;
  for (const auto& item : v.items) out.push_back(item.kind == ValueKind::String ? item.plain() : item.text);
  return out;
}

}  // namespace

Config read_config(const graph::Graph& g) {
  Config c;
  const Node* n = nullptr;
  for (const auto& node : g.nodes)
    if (node.kind == "policy") n = &node;
  if (!n) return c;
  c.node = n;
  if (const Value* v = n->value("required_tags")) c.required_tags = strings(*v);
  if (const Value* v = n->value("max_cpu")) c.max_cpu = v->i;
  if (const Value* v = n->value("max_memory")) c.max_memory = v->i;
  if (const Value* v = n->value("min_backup_retention")) c.min_backup_retention = v->i;
  if (const Value* v = n->value("min_production_backup_retention")) c.min_production_backup_retention = v->i;
  if (const Value* v = n->value("registries")) c.registries = strings(*v);
  if (const Value* v = n->value("production")) c.production = strings(*v);
  if (const Value* v = n->value("disable"))
    for (const auto& item : v->items) c.disabled.insert(item.text);
  for (const auto& [key, attr] : n->entries("severity")) {
    const std::string& s = attr->value.text;
    c.severity[key] = s == "error" ? Severity::Error : s == "warning" ? Severity::Warning : Severity::Note;
  }
  // Waivers: `waiver NAME { … }` becomes the attributes waiver.NAME.rule, … .
  for (const auto& b : n->blocks) {
    if (!b.starts_with("waiver.") || b.find('.', 7) != std::string::npos) continue;
    WaiverDecl w;
    w.name = b.substr(7);
    auto get = [&](const char* key, std::string& text, SourceRange& range) {
      if (const Attr* a = n->attr(b + "." + key)) {
        const Value& v = a->value;
        text = v.kind == ValueKind::String ? v.plain() : v.text;
        range = v.range.valid() ? v.range : a->history.back().range;
      }
    };
    get("rule", w.rule, w.rule_range);
    get("resource", w.resource, w.resource_range);
    get("reason", w.reason, w.reason_range);
    get("expires", w.expires, w.expires_range);
    if (w.rule_range.valid()) c.waivers.push_back(std::move(w));
  }
  return c;
}

// ---- running ---------------------------------------------------------------------------------

namespace {

std::vector<std::string> rule_codes() {
  std::vector<std::string> out;
  for (const auto& r : rules()) out.emplace_back(diag_info(r.kind).code);
  return out;
}

// A configuration problem: a code that names no rule. `where` is the code as written.
void unknown_code(std::vector<Finding>& out, const Node& policy, const std::string& code, const SourceRange& where,
                  const char* what) {
  auto d = make_diag(DiagKind::PolicyUnknownRule, where, code);
  d.label(fmt::format("not a rule {}", what));
  if (code.size() == 5 && code[0] == 'P' && code.substr(1, 2) == "00") {
    d.note("P00xx codes report on the policy configuration itself: they cannot be disabled, re-ranked or waived");
  } else if (const DiagKindInfo* info = find_diag_code(code); info && !info->code.starts_with("P")) {
    d.note(fmt::format("`{}` is an error of the input, not a policy finding: fix the input instead", code));
  } else if (auto best = closest_match(code, rule_codes())) {
    d.with_help(fmt::format("did you mean `{}`? ({})", *best, title(*best))).fix(where, *best);
  }
  if (!d.help) d.with_help("`platc check --list-rules` lists the rules and their codes");
  out.push_back({std::move(d), policy.id});
}

struct Key {
  std::string code;
  FileId file;
  std::uint32_t line, col, end_line, end_col;
  std::string message;
  std::string waiver;
  auto operator<=>(const Key&) const = default;
};

Key key_of(const Diagnostic& d, const WaiverDecl* w) {
  const auto& r = d.primary;
  return {std::string(d.code()), r.file, r.line, r.col, r.end_line, r.end_col, d.message, w ? w->name : ""};
}

struct Collected {
  Finding finding;
  std::set<std::string> environments;
  bool all_environments_only = false;
  const WaiverDecl* waiver = nullptr;  // accepted by this waiver (in some graph)
};

}  // namespace

Result run(const sema::Model& model, const Options& opts) {
  Result result;
  std::string today = opts.today.empty() ? today_utc() : opts.today;
  std::vector<std::string> envs;
  for (const auto& e : model.environments)
    if (opts.environments.empty() ||
        std::find(opts.environments.begin(), opts.environments.end(), e) != opts.environments.end())
      envs.push_back(e);

  std::map<Key, Collected> collected;
  std::vector<Key> order;
  // Waivers by name: their declaration (from the first graph that has it) and whether used.
  std::map<std::string, WaiverInfo> waivers;
  std::set<std::string> rules_run;

  auto collect = [&](Finding f, const std::string& env, bool all_only, const WaiverDecl* w) {
    Key k = key_of(f.diag, w);
    auto it = collected.find(k);
    if (it == collected.end()) {
      order.push_back(k);
      it = collected.emplace(k, Collected{std::move(f), {}, all_only, w}).first;
    }
    it->second.environments.insert(env);
  };

  std::vector<Config> configs;
  configs.reserve(model.graphs.size());
  for (const auto& g : model.graphs) {
    if (std::find(envs.begin(), envs.end(), g.environment) == envs.end()) continue;
    configs.push_back(read_config(g));
    const Config& cfg = configs.back();
    std::vector<Finding> meta;  // configuration and waiver findings of this graph

    // The configuration: codes must name rules.
    if (cfg.node) {
      if (const Attr* a = cfg.node->attr("disable"))
        for (const auto& item : a->value.items)
          if (!find_rule(item.text)) unknown_code(meta, *cfg.node, item.text, item.range, "to disable");
      for (const auto& [key, attr] : cfg.node->entries("severity"))
        if (!find_rule(key)) {
          SourceRange r = attr->history.back().range;
          r.end_line = r.line;
          r.end_col = r.col + static_cast<std::uint32_t>(key.size());
          unknown_code(meta, *cfg.node, key, r, "to re-rank");
        }
    }
    std::vector<const WaiverDecl*> active;
    for (const auto& w : cfg.waivers) {
      auto [it, fresh] = waivers.emplace(
          w.name, WaiverInfo{w.name, w.rule, w.resource, w.reason, w.expires, w.rule_range, "unused", 0});
      bool valid = true;
      if (!find_rule(w.rule)) {
        unknown_code(meta, *cfg.node, w.rule, w.rule_range, "to waive");
        valid = false;
      }
      if (w.reason.find_first_not_of(" \t\n") == std::string::npos && w.reason_range.valid()) {
        meta.push_back({make_diag(DiagKind::PolicyWaiverNoReason, w.reason_range, w.name), cfg.node->id});
        meta.back()
            .diag.label("empty")
            .note("the reason is what reviewers and auditors read: an exception without one cannot be judged")
            .with_help("say why the finding is accepted and what would end the exception");
        valid = false;
      }
      if (!valid) {
        it->second.status = "invalid";
        continue;
      }
      if (opts.no_waivers) {
        it->second.status = "ignored";
        continue;
      }
      if (!w.expires.empty() && w.expires < today) {
        meta.push_back({make_diag(DiagKind::PolicyWaiverExpired, w.expires_range, w.name, w.expires), cfg.node->id});
        meta.back()
            .diag.label("expired")
            .note(fmt::format("the {} findings it waived on `{}` are reported again", w.rule, w.resource))
            .with_help("fix the findings and remove the waiver, or review the exception and set a new `expires`");
        it->second.status = "expired";
        continue;
      }
      active.push_back(&w);
    }
    for (auto& f : meta) collect(std::move(f), g.environment, false, nullptr);

    std::shared_ptr<SecretScan> secret_scan;  // the detector's verdicts, shared by the P01 rules
    for (const auto& rule : rules()) {
      std::string code(diag_info(rule.kind).code);
      if (cfg.disabled.count(code)) continue;
      rules_run.insert(code);
      std::vector<Finding> found;
      Context ctx{model, g, cfg, found, opts.sources, secret_scan};
      rule.check(ctx);
      secret_scan = ctx.secret_scan;
      for (auto& f : found) {
        if (auto s = cfg.severity.find(code); s != cfg.severity.end()) f.diag.severity = s->second;
        const WaiverDecl* by = nullptr;
        for (const WaiverDecl* w : active)
          if (w->rule == code && w->resource == f.resource) by = w;
        if (by) {
          auto& info = waivers[by->name];
          info.status = "used";
        }
        collect(std::move(f), g.environment, rule.all_environments, by);
      }
    }
  }

  // Unused waivers: valid, not expired, matched nothing in any environment.
  for (const auto& cfg : configs)
    for (const auto& w : cfg.waivers) {
      auto& info = waivers[w.name];
      if (info.status != "unused") continue;
      info.status = "reported";
      auto d = make_diag(DiagKind::PolicyWaiverUnused, w.rule_range, w.name, w.rule, w.resource);
      d.label("waives nothing");
      if (cfg.disabled.count(w.rule)) d.note(fmt::format("{} is disabled in this policy block", w.rule));
      d.note("the finding it was written for is gone, or the waiver names the wrong rule or resource");
      d.with_help(fmt::format("remove `waiver {}`", w.name));
      collect({std::move(d), cfg.node->id}, "", false, nullptr);
    }

  for (const auto& k : order) {
    auto& c = collected[k];
    // The environments note: only when the finding is not in every environment checked.
    bool everywhere = c.environments.size() >= envs.size() || c.environments.count("");
    if (c.all_environments_only && !everywhere) continue;
    if (!everywhere) {
      std::string list;
      for (const auto& e : envs)
        if (c.environments.count(e)) list += (list.empty() ? "`" : ", `") + e + "`";
      c.finding.diag.note(fmt::format("in environment{} {} only", c.environments.size() == 1 ? "" : "s", list));
    }
    if (c.waiver) {
      auto& info = waivers[c.waiver->name];
      ++info.waived;
      result.waived.push_back({std::move(c.finding.diag), c.waiver->name, c.waiver->reason, c.waiver->rule_range});
      continue;
    }
    result.findings.add(std::move(c.finding.diag));
  }
  for (auto& [name, info] : waivers) {
    if (info.status == "reported") info.status = "unused";
    result.waivers.push_back(info);
  }
  std::sort(result.waivers.begin(), result.waivers.end(), [](const WaiverInfo& a, const WaiverInfo& b) {
    return std::tie(a.where.file, a.where.line, a.where.col) < std::tie(b.where.file, b.where.line, b.where.col);
  });
  result.findings.sort();
  result.rules_run = rules_run.size();
  return result;
}

}  // namespace platc::policy
