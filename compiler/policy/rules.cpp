// The checks of the policy rules, one function per rule, in code order (the secrets, P01xx, are
// in rules_secrets.cpp). Each reads one environment's typed graph and reports findings at the
// exact range of the offending value (or at the block header, with a note, when the value is a
// default or missing).
#include <algorithm>

#include "compiler/policy/internal.h"
#include "compiler/support/cidr.h"
#include "compiler/support/image_ref.h"
#include "compiler/support/names.h"

namespace platc::policy {

using graph::Attr;
using graph::Node;
using graph::Origin;
using graph::Value;
using graph::ValueKind;

std::optional<std::string> literal(const Value& v) {
  if (!v.is_plain_string()) return std::nullopt;
  return v.plain();
}

SourceRange range_of(const Value& v, const Node& n) {
  return v.range.valid() ? v.range : n.where;
}

namespace {

bool is_production_env(const Context& c, const std::string& env) {
  return c.cfg.is_production(env);
}

// Retention periods are written in days: `7d`, not `1w`.
std::string days(std::int64_t seconds) {
  return seconds % 86400 == 0 ? fmt::format("{}d", seconds / 86400) : graph::format_seconds(seconds);
}

}  // namespace

// ---- P02xx tags --------------------------------------------------------------------------

void check_missing_tags(Context& c) {
  const Node* platform = nullptr;
  for (const auto& n : c.g.nodes)
    if (n.kind == "platform") platform = &n;
  if (!platform) return;
  auto tags_of = [](const Node& n) {
    std::map<std::string, const Value*> out;
    if (const Value* v = n.value("tags"))
      for (const auto& [k, item] : v->entries) out[k] = &item;
    return out;
  };
  auto platform_tags = tags_of(*platform);
  // The platform's own tags: every resource inherits them, so a key missing here is reported
  // once, here. `environment` is set by platc on every resource.
  std::vector<std::string> missing;
  for (const auto& key : c.cfg.required_tags) {
    if (key == "environment") continue;
    if (!platform_tags.count(key)) missing.push_back(key);
  }
  if (!missing.empty()) {
    std::string list;
    for (const auto& m : missing) list += (list.empty() ? "`" : ", `") + m + "`";
    Place p = place(*platform, "tags");
    auto& d = c.report(DiagKind::PolicyMissingTags, *platform, p.range, describe(*platform),
                       missing.size() == 1 ? "" : "s", list);
    d.label(p.written ? "these tags are inherited by every resource" : "no `tags`");
    std::vector<std::string> also;
    for (const auto& n : c.g.nodes) {
      if (&n == platform || !n.has_trait("taggable")) continue;
      auto own = tags_of(n);
      bool lacks = std::any_of(missing.begin(), missing.end(), [&](const std::string& m) { return !own.count(m); });
      if (lacks) also.push_back(describe(n));
    }
    if (!also.empty())
      d.note(fmt::format("{} taggable resource{} inherit{} the gap", also.size(), also.size() == 1 ? "" : "s",
                         also.size() == 1 ? "s" : ""));
    d.note("required by the policy's `required_tags`; platc adds `environment` itself");
    d.with_help(
        fmt::format("add {} to the platform's `tags`, such as `tags = {{ {} = \"…\" }}`", list, missing.front()));
  }
  // A resource that overrides a required tag with an empty value.
  for (const auto& n : c.g.nodes) {
    if (!n.has_trait("taggable") || !n.written("tags")) continue;
    for (const auto& [k, v] : tags_of(n)) {
      if (std::find(c.cfg.required_tags.begin(), c.cfg.required_tags.end(), k) == c.cfg.required_tags.end()) continue;
      auto text = literal(*v);
      if (!text || !text->empty()) continue;
      c.report(DiagKind::PolicyMissingTags, n, range_of(*v, n), describe(n), "", fmt::format("`{}` (it is empty)", k))
          .label("empty")
          .with_help(fmt::format("give `{}` a value, or remove it to inherit the platform's", k));
    }
  }
}

void check_invalid_tags(Context& c) {
  for (const auto& n : c.g.nodes) {
    if (!n.has_trait("taggable")) continue;
    const Attr* a = n.written("tags");
    if (!a) continue;
    bool labels = n.kind == "platform" || n.has_trait("workload");
    for (const auto& [k, v] : a->value.entries) {
      auto text = literal(v);
      if (!text) continue;
      if (!c.g.target.empty()) {
        std::string problem = cloud_tag_problem(c.g.target, k, *text);
        if (!problem.empty())
          c.report(DiagKind::PolicyInvalidTag, n, range_of(v, n), describe(n), k, cloud_tag_noun(c.g.target), problem)
              .label(fmt::format("`{}` = {}", k, v.display()))
              .with_help("change the tag so that every target cloud accepts it; the apply fails otherwise");
      }
      if (labels && !is_label_value(*text))
        c.report(DiagKind::PolicyInvalidTag, n, range_of(v, n), describe(n), k, "Kubernetes label",
                 "label values are at most 63 letters, digits, `-`, `_` and `.`, starting and ending with a letter or "
                 "digit")
            .label(fmt::format("`{}` = {}", k, v.display()))
            .note(n.kind == "platform" ? "the platform's tags become labels of every Kubernetes object"
                                       : "a workload's tags become labels of its Kubernetes objects")
            .with_help("use a value such as `data-team` instead");
    }
  }
}

// ---- P03xx resources ---------------------------------------------------------------------

void check_missing_resources(Context& c) {
  for (const auto& n : c.g.nodes) {
    if (!n.has_trait("workload")) continue;
    std::vector<std::string> missing;
    if (!n.attr("resources.cpu")) missing.push_back("cpu");
    if (!n.attr("resources.memory")) missing.push_back("memory");
    if (missing.empty()) continue;
    std::string what = missing.size() == 2 ? "CPU or memory" : missing[0] == "cpu" ? "CPU" : "memory";
    auto& d = c.report(DiagKind::PolicyMissingResources, n, n.where, describe(n), what);
    d.label(missing.size() == 2 ? "no `resources`" : fmt::format("no `resources.{}`", missing[0]));
    d.note(
        "without a request the scheduler packs pods blindly and autoscaling has nothing to measure; without a "
        "limit one pod can starve its node");
    d.with_help(missing.size() == 2   ? "add `resources { cpu = 250m .. 1  memory = 512Mi .. 1Gi }` with your numbers"
                : missing[0] == "cpu" ? "add `cpu = 250m .. 1` (request .. limit) to `resources`"
                                      : "add `memory = 512Mi .. 1Gi` (request .. limit) to `resources`");
  }
}

void check_resource_max(Context& c) {
  for (const auto& n : c.g.nodes) {
    if (!n.has_trait("workload")) continue;
    auto check = [&](const char* path, const char* what, std::int64_t max, const std::string& shown_max,
                     const char* setting) {
      const Attr* a = n.attr(path);
      if (!a || a->value.kind != ValueKind::Range || a->value.items.size() != 2) return;
      const Value& limit = a->value.items[1];
      if (limit.i <= max) return;
      c.report(DiagKind::PolicyResourceAboveMax, n, range_of(limit, n), describe(n), what, limit.display(), shown_max)
          .label("the limit")
          .note(fmt::format("the policy's `{}` is {}", setting, shown_max))
          .with_help(
              fmt::format("lower the limit to at most {}, or raise `{}` in the `policy` block", shown_max, setting));
    };
    check("resources.cpu", "CPU", c.cfg.max_cpu, graph::format_millicores(c.cfg.max_cpu), "max_cpu");
    check("resources.memory", "memory", c.cfg.max_memory, graph::format_bytes(c.cfg.max_memory), "max_memory");
  }
}

void check_autoscale_never_scales(Context& c) {
  for (const auto& n : c.g.nodes) {
    if (!n.has_trait("workload") || !n.has_block("autoscale")) continue;
    const Value* min = n.value("autoscale.min");
    const Value* max = n.value("autoscale.max");
    if (!min || !max || min->i != max->i) continue;
    Place p = place(n, "autoscale.max");
    c.report(DiagKind::PolicyAutoscaleNeverScales, n, p.range, describe(n), min->i)
        .label("same as `min`")
        .with_help(fmt::format("raise `max` above {}, or drop `autoscale` and set `replicas = {}`", min->i, min->i));
  }
}

void check_autoscale_request(Context& c) {
  for (const auto& n : c.g.nodes) {
    if (!n.has_trait("workload") || !n.has_block("autoscale")) continue;
    auto target = [&](const char* path, const char* request, const char* what) {
      const Attr* t = n.attr(path);
      if (!t || n.attr(request)) return;
      Place p = place(n, path);
      if (!p.written) p = place(n, "autoscale.min");
      auto& d =
          c.report(DiagKind::PolicyAutoscaleNoRequest, n, p.range, describe(n), path, t->value.display(), what, what);
      d.label(p.written ? "utilisation target" : "autoscaling here");
      if (!n.written(path)) d.note(fmt::format("`{}` defaults to {}", path, t->value.display()));
      d.with_help(fmt::format("set `{}` (request .. limit)", request));
    };
    target("autoscale.cpu", "resources.cpu", "CPU");
    target("autoscale.memory", "resources.memory", "memory");
  }
}

void check_production_replicas(Context& c) {
  if (!c.production()) return;
  for (const auto& n : c.g.nodes) {
    if (n.kind != "service") continue;
    if (n.has_block("autoscale")) {
      const Value* min = n.value("autoscale.min");
      if (!min || min->i >= 2) continue;
      Place p = place(n, "autoscale.min");
      c.report(DiagKind::PolicyProductionReplicas, n, p.range, describe(n), fmt::format("as few as {} replica", min->i))
          .label("`autoscale.min` below 2")
          .note(
              "with one pod, every rollout, node drain or crash is an outage; platc adds a PodDisruptionBudget "
              "only with two or more")
          .with_help(
              "set `autoscale { min = 2 }` in the production overlay: `on production { autoscale { min = 2 } }`");
      continue;
    }
    const Value* r = n.value("replicas");
    std::int64_t replicas = r ? r->i : 1;
    if (replicas != 1) continue;  // 0 parks the service on purpose
    Place p = place(n, "replicas");
    auto& d = c.report(DiagKind::PolicyProductionReplicas, n, p.range, describe(n), "a single replica");
    d.label(p.written ? "one replica" : "no `replicas` or `autoscale`");
    note_default(d, n, "replicas", p);
    d.note(
        "with one pod, every rollout, node drain or crash is an outage; platc adds a PodDisruptionBudget only "
        "with two or more");
    d.with_help("set `on production { replicas = 2 }`, or `autoscale { min = 2  max = … }`");
  }
}

// ---- P04xx images ------------------------------------------------------------------------

namespace {

// An image written as a literal reference (not `build(…)`, not known only at deploy time).
struct WrittenImage {
  std::string text;
  ImageRef ref;
};

std::optional<WrittenImage> written_image(const Value& v) {
  if (v.kind != ValueKind::String || !v.is_plain_string()) return std::nullopt;
  return WrittenImage{v.plain(), parse_image_ref(v.plain())};
}

}  // namespace

// The images of a workload's pods: its own, then each sidecar's, with how to name each in a finding.
std::vector<std::pair<const Attr*, std::string>> images_of(const graph::Node& n) {
  std::vector<std::pair<const Attr*, std::string>> out;
  if (const Attr* a = n.written("image")) out.emplace_back(a, describe(n));
  for (const auto& b : n.blocks)
    if (b.starts_with("sidecar.") && b.find('.', 8) == std::string::npos)
      if (const Attr* a = n.written(b + ".image"))
        out.emplace_back(a, fmt::format("sidecar `{}` of {}", b.substr(8), describe(n)));
  return out;
}

void check_image_tag(Context& c) {
  for (const auto& n : c.g.nodes) {
    if (!n.has_trait("workload")) continue;
    for (const auto& [a, who] : images_of(n)) {
      auto img = written_image(a->value);
      if (!img || !img->ref.digest.empty()) continue;
      if (!img->ref.tag.empty() && img->ref.tag != "latest") continue;
      bool untagged = img->ref.tag.empty();
      c.report(DiagKind::PolicyImageTag, n, range_of(a->value, n), who, img->text,
               untagged ? "has no tag, which means `latest`" : "uses the moving tag `latest`")
          .label(untagged ? "no tag" : "`latest`")
          .note(
              "`latest` names a different image after every push: a rollback or a new node pulls something nobody "
              "tested, and the deploy is not reproducible")
          .with_help(
              "pin a version tag such as `\"nginx:1.27.2\"`, or a digest `\"nginx@sha256:…\"`; images from "
              "`build(\"./dir\")` are pinned by platc");
    }
  }
}

void check_image_registry(Context& c) {
  if (!c.cfg.registries) return;
  for (const auto& n : c.g.nodes) {
    if (!n.has_trait("workload")) continue;
    for (const auto& [a, who] : images_of(n)) {
      auto img = written_image(a->value);
      if (!img) continue;
      std::string full = img->ref.pull_registry() + "/" + img->ref.pull_path();
      bool ok = false;
      for (const auto& allowed : *c.cfg.registries) {
        std::string p = allowed;
        while (!p.empty() && p.back() == '/') p.pop_back();
        if (full == p || full.starts_with(p + "/") ||
            (img->text.starts_with(p) && (img->text.size() == p.size() ||
                                          std::string_view("/:@").find(img->text[p.size()]) != std::string_view::npos)))
          ok = true;
      }
      if (ok) continue;
      std::string list;
      for (const auto& r : *c.cfg.registries) list += (list.empty() ? "`" : ", `") + r + "`";
      c.report(DiagKind::PolicyImageRegistry, n, range_of(a->value, n), who, img->text)
          .label(fmt::format("from `{}`", img->ref.pull_registry()))
          .note(fmt::format("the policy's `registries` allows {}", list))
          .with_help("mirror the image into an allowed registry, or add its registry to `registries`");
    }
  }
}

// ---- P05xx workload security -------------------------------------------------------------

void check_privileged_port(Context& c) {
  for (const auto& n : c.g.nodes) {
    if (!n.has_trait("workload")) continue;
    for (const char* path : {"port", "ports", "health.port", "metrics.port"}) {
      const Attr* a = n.written(path);
      if (!a) continue;
      std::vector<const Value*> ports;
      if (a->value.kind == ValueKind::List)
        for (const auto& item : a->value.items) ports.push_back(&item);
      else
        ports.push_back(&a->value);
      for (const Value* p : ports) {
        if (p->kind != ValueKind::Int || p->i >= 1024) continue;
        c.report(DiagKind::PolicyPrivilegedPort, n, range_of(*p, n), describe(n), path, p->i)
            .label("below 1024")
            .note(
                "platc runs every container under the restricted Pod Security Standard: as a non-root user, with "
                "every capability dropped, so it cannot bind a port below 1024")
            .with_help("make the container listen on a port such as 8080; `expose` still serves 443 to the internet");
      }
    }
  }
}

// ---- P06xx data --------------------------------------------------------------------------

void check_encryption(Context& c) {
  for (const auto& n : c.g.nodes) {
    if (!n.has_trait("stateful")) continue;
    const Attr* a = n.written("encryption");
    if (!a || a->value.kind != ValueKind::Bool || a->value.b) continue;
    c.report(DiagKind::PolicyNoEncryption, n, range_of(a->value, n), describe(n))
        .label("`encryption = false`")
        .note(
            "unencrypted storage exposes the data in snapshots, backups and retired disks, and fails most "
            "compliance regimes")
        .with_help("remove `encryption = false`: encryption with a platform KMS key is the default");
  }
}

void check_backup_retention(Context& c) {
  bool prod = c.production();
  std::int64_t min = prod ? c.cfg.min_production_backup_retention : c.cfg.min_backup_retention;
  const char* setting = prod ? "min_production_backup_retention" : "min_backup_retention";
  for (const auto& n : c.g.nodes) {
    if (n.kind != "database") continue;
    const Value* r = n.value("backup.retention");
    std::int64_t retention = r ? r->i : 7 * 86400;  // the schema's default, also without a `backup` block
    if (retention >= min) continue;
    Place p = place(n, "backup.retention");
    auto& d = c.report(DiagKind::PolicyBackupRetention, n, p.range, describe(n), days(retention), days(min),
                       prod ? "production needs" : "the policy asks for");
    d.label(p.written ? "retention" : "no `backup.retention`");
    if (!p.written) d.note(fmt::format("backups are kept {} by default", days(retention)));
    d.note(fmt::format("the policy's `{}` is {}", setting, days(min)));
    d.with_help(prod ? fmt::format("set `on production {{ backup {{ retention = {} }} }}`", days(min))
                     : fmt::format("set `backup {{ retention = {} }}`", days(min)));
  }
}

namespace {

// The blocks of `kind` where a safeguard that is on by default is written `path = false`.
std::vector<std::pair<const Node*, const Attr*>> turned_off(const Context& c, std::string_view kind,
                                                            std::string_view path) {
  std::vector<std::pair<const Node*, const Attr*>> out;
  for (const auto& n : c.g.nodes) {
    if (n.kind != kind) continue;
    const Attr* a = n.written(path);
    if (a && a->value.kind == ValueKind::Bool && !a->value.b) out.emplace_back(&n, a);
  }
  return out;
}

}  // namespace

void check_point_in_time(Context& c) {
  if (!c.production()) return;
  for (auto [np, pitr] : turned_off(c, "database", "backup.point_in_time")) {
    const Node& n = *np;
    c.report(DiagKind::PolicyNoPointInTime, n, range_of(pitr->value, n), describe(n))
        .label("`point_in_time = false`")
        .note("without it a restore loses everything written since the last daily snapshot")
        .with_help("remove `point_in_time = false`");
  }
}

// A cache's connections: TLS (`tls`) and a secret (`auth`), each on by default.
void check_cache_tls(Context& c) {
  for (auto [np, a] : turned_off(c, "cache", "tls")) {
    const Node& n = *np;
    c.report(DiagKind::PolicyCacheNoTls, n, range_of(a->value, n), describe(n))
        .label("`tls = false`")
        .note("without TLS every key, value and the AUTH token cross the network in clear text")
        .with_help("remove `tls = false`: clients connect with `rediss://` from the connection Secret");
  }
}

void check_cache_auth(Context& c) {
  for (auto [np, a] : turned_off(c, "cache", "auth")) {
    const Node& n = *np;
    c.report(DiagKind::PolicyCacheNoAuth, n, range_of(a->value, n), describe(n))
        .label("`auth = false`")
        .note("without a token any pod that can reach the cache's port can read, change or flush it")
        .with_help("remove `auth = false`: the token reaches the workloads in the connection Secret");
  }
}

// A service with `storage` (a StatefulSet) keeps data no managed service looks after.
void check_cluster_data(Context& c) {
  if (!c.production()) return;
  for (const auto& n : c.g.nodes) {
    if (!n.has_trait("workload") || !n.has_block("storage")) continue;
    const Attr* path = n.attr("storage.path");
    c.report(DiagKind::PolicyClusterData, n, path ? range_of(path->value, n) : n.where, describe(n))
        .label("a PersistentVolumeClaim per pod")
        .note(
            "the cluster's volumes have no managed backups, point-in-time recovery or deletion protection: a "
            "deleted claim, namespace or cluster takes the data with it")
        .with_help(
            "keep the data in a `database`, `cache` or `bucket`; or back the volumes up (VolumeSnapshots, Velero) "
            "and waive P0608 saying so");
  }
}

void check_public_data(Context& c) {
  for (const auto& n : c.g.nodes) {
    if (!n.has_trait("stateful")) continue;
    const Attr* a = n.written("public");
    if (!a || a->value.kind != ValueKind::Bool || !a->value.b) continue;
    bool bucket = n.kind == "bucket";
    c.report(DiagKind::PolicyPublicData, n, range_of(a->value, n), describe(n))
        .label("`public = true`")
        .note(bucket ? "anyone on the internet can list and read every object"
                     : "a database with a public endpoint is one leaked or guessed password away from everyone")
        .with_help(bucket ? "remove `public = true`; serve single files through signed URLs or a CDN in front of a "
                            "service"
                          : "remove `public = true`: the workloads that reference it already reach it privately");
  }
}

void check_deletion_protection(Context& c) {
  if (!c.production()) return;
  for (auto [np, a] : turned_off(c, "database", "deletion_protection")) {
    const Node& n = *np;
    c.report(DiagKind::PolicyDeletionProtection, n, range_of(a->value, n), describe(n))
        .label("`deletion_protection = false`")
        .note("a lost production database is the one mistake a deploy cannot undo")
        .with_help(
            "set `deletion_protection = false` only in the overlays of environments that are torn down, "
            "such as `on dev { … }`");
  }
}

// ---- P07xx exposure ----------------------------------------------------------------------

void check_tls(Context& c) {
  for (const auto& n : c.g.nodes) {
    if (!n.has_block("expose")) continue;
    const Attr* a = n.written("expose.tls");
    if (!a || a->value.kind != ValueKind::Bool || a->value.b) continue;
    c.report(DiagKind::PolicyNoTls, n, range_of(a->value, n), describe(n))
        .label("`tls = false`")
        .note("without TLS, passwords, session cookies and tokens cross the internet in clear text")
        .with_help("remove `tls = false`: platc issues and renews the certificate");
  }
}

void check_probes(Context& c) {
  for (const auto& n : c.g.nodes) {
    if (!n.has_block("expose")) continue;
    std::vector<std::string> missing;
    // `false` turns a probe off: as good as none.
    auto on = [&](const char* path) {
      const Attr* a = n.attr(path);
      return a && (a->value.kind != ValueKind::Bool || a->value.b);
    };
    if (!on("health.readiness")) missing.push_back("readiness");
    if (!on("health.liveness")) missing.push_back("liveness");
    if (missing.empty()) continue;
    std::string what = missing.size() == 2 ? "readiness or liveness probe" : missing[0] + " probe";
    auto& d = c.report(DiagKind::PolicyNoProbes, n, n.where, describe(n), what);
    d.label(fmt::format("no `health.{}`", missing[0]));
    if (const Attr* host = n.written("expose.host")) d.also(range_of(host->value, n), "exposed here");
    d.note(missing[0] == "readiness" ? "without a readiness probe the load balancer sends requests to pods that are "
                                       "still starting, and a bad rollout is not stopped"
                                     : "without a liveness probe a hung container keeps receiving traffic forever");
    d.with_help(missing.size() == 2 ? "add `health { liveness = \"/healthz\"  readiness = \"/ready\" }`"
                                    : fmt::format("add `{} = \"/…\"` to `health`", missing[0]));
  }
}

void check_public_load_balancer(Context& c) {
  if (!c.production()) return;
  for (const auto& n : c.g.nodes) {
    if (!n.has_block("load_balancer")) continue;
    const Value* scope = n.value("load_balancer.scope");
    const Value* ranges = n.value("load_balancer.source_ranges");
    if ((scope && scope->text == "internal") || (ranges && ranges->kind == ValueKind::List && !ranges->items.empty()))
      continue;
    const Attr* s = n.written("load_balancer.scope");
    auto& d = c.report(DiagKind::PolicyPublicLoadBalancer, n, s ? range_of(s->value, n) : n.where, describe(n));
    d.label(s ? "`scope = public` without `source_ranges`" : "a public `load_balancer` without `source_ranges`");
    d.note(
        "a layer-4 load balancer passes every connection through to the pods: no TLS, authentication or "
        "rate limit in front of them unless the application does it, and every scanner on the internet finds it");
    d.with_help(
        "name the clients in `source_ranges = [\"203.0.113.0/24\"]`, make it `scope = internal`, or waive "
        "this finding with the reason the whole internet must reach it");
  }
}

// `any_host = true`, or a range that is every address, lets a compromised pod send the
// platform's data anywhere on those ports: production should name where it connects.
void check_unrestricted_egress(Context& c) {
  if (!c.production()) return;
  for (const auto& n : c.g.nodes) {
    if (!n.has_trait("workload")) continue;
    for (const auto& block : n.blocks) {
      if (!block.starts_with("egress.")) continue;
      std::string name = block.substr(7);
      SourceRange where;
      std::string label;
      if (const Attr* any = n.written(block + ".any_host"); any && any->value.kind == ValueKind::Bool && any->value.b) {
        where = range_of(any->value, n);
        label = "every public address";
      } else if (const Attr* cidrs = n.written(block + ".cidrs"); cidrs && cidrs->value.kind == ValueKind::List) {
        for (const auto& item : cidrs->value.items)
          if (item.kind == ValueKind::String && cidr_is_everything(item.plain()) && !where.valid()) {
            where = range_of(item, n);
            label = "every address";
          }
      }
      if (!where.valid()) continue;
      c.report(DiagKind::PolicyUnrestrictedEgress, n, where, describe(n), name)
          .label(label)
          .note(
              "a compromised or misbehaving pod could then send the platform's data to any server on these ports, "
              "and the cloud firewall has no name to check either")
          .with_help(
              "name the servers in `hosts = [\"api.partner.example\"]` or `cidrs`, or waive this finding with the "
              "reason the workload must reach any host");
    }
  }
}

// ---- P08xx delivery ----------------------------------------------------------------------

void check_approval(Context& c) {
  if (!c.production()) return;
  for (const auto& n : c.g.nodes) {
    if (n.kind != "environment" || n.name != c.g.environment) continue;
    const Value* v = n.value("approval");
    if (v && v->text == "required") continue;
    Place p = place(n, "approval");
    auto& d = c.report(DiagKind::PolicyNoApproval, n, p.range, n.id);
    d.label(p.written ? "`approval = none`" : "no `approval`");
    note_default(d, n, "approval", p);
    d.note("every push that passes the earlier steps reaches production with nobody looking");
    d.with_help("set `approval = required` and list `reviewers`");
  }
}

void check_image_scan(Context& c) {
  for (const auto& n : c.g.nodes) {
    if (n.kind != "pipeline") continue;
    const Attr* a = n.attr("scan");
    if (!a) continue;
    std::vector<const Value*> scanners;
    if (a->value.kind == ValueKind::List)
      for (const auto& item : a->value.items) scanners.push_back(&item);
    else
      scanners.push_back(&a->value);
    bool image = std::any_of(scanners.begin(), scanners.end(), [](const Value* s) {
      return s->text == "trivy" || s->text == "grype" || s->text == "snyk";
    });
    if (image) continue;
    Place p = place(n, "scan");
    c.report(DiagKind::PolicyNoImageScan, n, p.range)
        .label(scanners.empty() ? "no scanner" : "no image scanner")
        .note(
            "images carry their base image's vulnerabilities; `trivy`, `grype` and `snyk` scan images, the other "
            "scanners scan code or look for leaked secrets")
        .with_help("add `trivy(severity >= high)` to `scan`");
  }
}

// ---- P09xx cost --------------------------------------------------------------------------

void check_budget(Context& c) {
  const Node* platform = nullptr;
  bool budget = false;
  for (const auto& n : c.g.nodes) {
    if (n.kind == "platform") platform = &n;
    if (n.kind == "budget") budget = true;
  }
  if (!platform || budget) return;
  const Node* prod = nullptr;
  for (const auto& n : c.g.nodes)
    if (n.kind == "environment" && is_production_env(c, n.name) && !prod) prod = &n;
  if (!prod) return;
  c.report(DiagKind::PolicyNoBudget, *platform, platform->where, platform->id)
      .label("no `budget` block")
      .also(prod->where, "production environment")
      .note("a budget alerts before a runaway autoscaler or a forgotten test cluster shows up on the invoice")
      .with_help("add `budget monthly { monthly_limit = 1000  notify = [\"team@example.com\"] }`");
}

}  // namespace platc::policy
