// The values of one environment, read back from the Kubernetes backend's objects: every field the
// chart's templates (backends/helm/chart/templates/) turn into an object comes from here, so what
// one object holds the other gets. An object this file does not know is an error, not a silent
// gap: the chart would otherwise render fewer objects than kubernetes/<environment>/ holds.
#include <fmt/format.h>

#include <initializer_list>
#include <map>
#include <set>

#include "backends/contract/names.h"
#include "backends/contract/target.h"
#include "backends/helm/helm.h"
#include "compiler/support/image_ref.h"

namespace platc::helm {
namespace {

using emit::YamlNode;

const YamlNode* at(const YamlNode& n, std::initializer_list<std::string_view> path) {
  const YamlNode* cur = &n;
  for (auto key : path) {
    if (!cur->is_map()) return nullptr;
    cur = cur->find(key);
    if (!cur) return nullptr;
  }
  return cur;
}

std::string text_at(const YamlNode& n, std::initializer_list<std::string_view> path) {
  const YamlNode* v = at(n, path);
  return v && v->kind() == YamlNode::Kind::String ? v->text() : "";
}

const YamlNode& first_item(const YamlNode* seq) {
  static const YamlNode none;
  return seq && seq->is_seq() && !seq->items().empty() ? seq->items().front() : none;
}

bool same(const YamlNode& a, const YamlNode& b) {
  if (a.kind() != b.kind()) return false;
  switch (a.kind()) {
    case YamlNode::Kind::Null:
      return true;
    case YamlNode::Kind::Bool:
      return a.b() == b.b();
    case YamlNode::Kind::Int:
      return a.i() == b.i();
    case YamlNode::Kind::Number:
    case YamlNode::Kind::String:
      return a.text() == b.text();
    case YamlNode::Kind::Seq:
      if (a.items().size() != b.items().size()) return false;
      for (std::size_t k = 0; k < a.items().size(); ++k)
        if (!same(a.items()[k], b.items()[k])) return false;
      return true;
    case YamlNode::Kind::Map:
      if (a.entries().size() != b.entries().size()) return false;
      for (const auto& [key, v] : a.entries()) {
        const YamlNode* o = b.find(key);
        if (!o || !same(v, *o)) return false;
      }
      return true;
  }
  return false;
}

bool standard_label(std::string_view key) {
  return key.starts_with("app.kubernetes.io/");
}

// The labels of `labels` that the chart's label helper does not already give: not standard, not
// in `common` with the same value, not in `skip`.
YamlNode extra_labels(const YamlNode* labels, const YamlNode& common, const std::set<std::string>& skip = {}) {
  YamlNode out = YamlNode::map();
  if (!labels || !labels->is_map()) return out;
  for (const auto& [k, v] : labels->entries()) {
    if (standard_label(k) || skip.count(k)) continue;
    const YamlNode* c = common.find(k);
    if (c && same(*c, v)) continue;
    out.set(k, v);
  }
  return out;
}

// The labels of `labels` that `base` does not have (with the same value).
YamlNode labels_beyond(const YamlNode* labels, const YamlNode* base, const std::set<std::string>& skip = {}) {
  YamlNode out = YamlNode::map();
  if (!labels || !labels->is_map()) return out;
  for (const auto& [k, v] : labels->entries()) {
    if (skip.count(k)) continue;
    const YamlNode* b = base && base->is_map() ? base->find(k) : nullptr;
    if (b && same(*b, v)) continue;
    out.set(k, v);
  }
  return out;
}

constexpr const char* kPreDeploy = "platc.dev/pre-deploy";

// Annotations without the Helm and Argo CD hook ones, which the chart's templates write.
YamlNode without_hook_annotations(const YamlNode* annotations) {
  YamlNode out = YamlNode::map();
  if (!annotations || !annotations->is_map()) return out;
  for (const auto& [k, v] : annotations->entries())
    if (!k.starts_with("helm.sh/") && !k.starts_with("argocd.argoproj.io/")) out.set(k, v);
  return out;
}
constexpr const char* kHook = "platc.dev/hook";
constexpr const char* kConfigChecksum = "platc.dev/config-checksum";

// A map without the given keys.
YamlNode without_keys(const YamlNode* m, const std::set<std::string>& keys) {
  YamlNode out = YamlNode::map();
  if (!m || !m->is_map()) return out;
  for (const auto& [k, v] : m->entries())
    if (!keys.count(k)) out.set(k, v);
  return out;
}

// Every field of one workload, gathered from its objects, written in a fixed order at the end.
struct Workload {
  std::map<std::string, YamlNode> fields;
  const YamlNode* object_labels = nullptr;  // the Deployment's / CronJob's / Job's
  bool seen_workload = false;
  YamlNode& operator[](const std::string& k) { return fields[k]; }
};

const char* const kFieldOrder[] = {
    "kind",
    "component",
    "version",
    "labels",
    "image",
    "command",
    "args",
    "replicas",
    "strategy",
    "volumeClaimTemplates",
    "annotations",
    "ports",
    "config",
    "secretEnv",
    "env",
    "resources",
    "startupProbe",
    "livenessProbe",
    "readinessProbe",
    "podLabels",
    "podAnnotations",
    "terminationGracePeriodSeconds",
    "initContainers",
    "sidecars",
    "volumeMounts",
    "volumes",
    "serviceAccount",
    "service",
    "backendConfig",
    "loadBalancer",
    "autoscaling",
    "podDisruptionBudget",
    "metrics",
    "networkPolicy",
    "schedule",
    "timeZone",
    "concurrencyPolicy",
    "backoffLimit",
    "activeDeadlineSeconds",
    "hook",
};

YamlNode image_values(const std::string& ref, const YamlNode* pull) {
  YamlNode img = YamlNode::map();
  ImageRef r = parse_image_ref(ref);
  img.set("repository", r.repository());
  if (!r.tag.empty()) img.set("tag", r.tag);
  if (!r.digest.empty()) img.set("digest", r.digest);
  img.set("pullPolicy", pull && pull->kind() == YamlNode::Kind::String ? pull->text() : "IfNotPresent");
  return img;
}

class Reader {
 public:
  Reader(const Environment& env, Diagnostics& diags, std::vector<YamlNode>* env_secrets)
      : env_(env), diags_(diags), env_secrets_(env_secrets) {}

  YamlNode run() {
    std::vector<const YamlNode*> objects;
    for (const auto& f : env_.files)
      for (const auto& d : f.docs) objects.push_back(&d);
    for (const YamlNode* o : objects)
      if (text_at(*o, {"kind"}) == "Namespace") read_namespace(*o);
    if (platform_.empty()) error("no Namespace object");
    // Workload objects first: the others are read relative to their labels.
    for (const YamlNode* o : objects) {
      std::string kind = text_at(*o, {"kind"});
      if (kind == "Deployment" || kind == "StatefulSet" || kind == "CronJob" || kind == "Job") read_workload(*o, kind);
    }
    for (const YamlNode* o : objects) read_other(*o);
    for (auto& [name, w] : workloads_)
      if (!w.seen_workload) error(fmt::format("objects named `{}` but no workload of that name", name));
    return assemble();
  }

 private:
  const Environment& env_;
  Diagnostics& diags_;
  std::vector<YamlNode>* env_secrets_;
  std::string platform_, instance_;
  YamlNode namespace_ = YamlNode::map(), common_ = YamlNode::map();
  YamlNode pod_sc_ = kubernetes::pod_security_context(), container_sc_ = kubernetes::container_security_context();
  YamlNode store_ = YamlNode::map();
  YamlNode aws_ = YamlNode::map();
  bool network_policy_ = false;
  YamlNode alerts_ = YamlNode::seq();
  std::map<std::string, YamlNode> secrets_, dashboards_, ingresses_;
  std::map<std::string, Workload> workloads_;

  // The Kubernetes backend made something the chart's templates do not cover: a defect of platc.
  void error(const std::string& what) { diags_.report(DiagKind::HelmCannotExpress, SourceRange{}, env_.name, what); }

  std::string name_of(const YamlNode& o) const { return text_at(o, {"metadata", "name"}); }

  Workload* workload(const std::string& name, const YamlNode& o) {
    auto it = workloads_.find(name);
    if (it == workloads_.end() || !it->second.seen_workload) {
      error(fmt::format("{} `{}` belongs to no workload", text_at(o, {"kind"}), name));
      return nullptr;
    }
    return &it->second;
  }

  void read_namespace(const YamlNode& o) {
    platform_ = text_at(o, {"metadata", "labels", "app.kubernetes.io/part-of"});
    instance_ = text_at(o, {"metadata", "labels", "app.kubernetes.io/instance"});
    YamlNode ns_labels = YamlNode::map();
    if (const YamlNode* l = at(o, {"metadata", "labels"}); l && l->is_map())
      for (const auto& [k, v] : l->entries()) {
        if (standard_label(k)) continue;
        if (k.starts_with("pod-security.kubernetes.io/") || k.starts_with("platc.dev/"))
          ns_labels.set(k, v);
        else
          common_.set(k, v);
      }
    // The namespace every address in the values was made for (`<service>.<namespace>.svc…`):
    // the chart refuses to install anywhere else rather than point at another namespace.
    namespace_.set("name", text_at(o, {"metadata", "name"}));
    namespace_.set("create", YamlNode::boolean(true));
    if (!ns_labels.empty()) namespace_.set("labels", std::move(ns_labels));
  }

  void read_workload(const YamlNode& o, const std::string& kind) {
    std::string name = name_of(o);
    Workload& w = workloads_[name];
    if (w.seen_workload) {
      error(fmt::format("two workloads named `{}`", name));
      return;
    }
    w.seen_workload = true;
    w.object_labels = at(o, {"metadata", "labels"});
    w["kind"] = YamlNode::str(kind);
    w["component"] = YamlNode::str(text_at(o, {"metadata", "labels", "app.kubernetes.io/component"}));
    if (const YamlNode* v = at(o, {"metadata", "labels", "app.kubernetes.io/version"})) w["version"] = *v;
    if (YamlNode l = extra_labels(w.object_labels, common_, {kHook, kPreDeploy}); !l.empty()) w["labels"] = l;
    const YamlNode* pod = nullptr;
    if (kind == "Deployment" || kind == "StatefulSet") {
      pod = at(o, {"spec", "template"});
      const YamlNode* r = at(o, {"spec", "replicas"});
      w["replicas"] = r ? *r : YamlNode::integer(1);
      if (const YamlNode* s = at(o, {"spec", "strategy"})) w["strategy"] = *s;
      // The template writes serviceName (`NAME-headless`) and updateStrategy; the claims are as given.
      if (const YamlNode* c = at(o, {"spec", "volumeClaimTemplates"})) w["volumeClaimTemplates"] = *c;
      if (const YamlNode* a = at(o, {"metadata", "annotations"})) w["annotations"] = *a;
      for (const char* knob : {"service", "autoscaling", "podDisruptionBudget", "metrics"}) {
        YamlNode off = YamlNode::map();
        off.set("enabled", YamlNode::boolean(false));
        w[knob] = off;
      }
    } else if (kind == "CronJob") {
      pod = at(o, {"spec", "jobTemplate", "spec", "template"});
      for (const char* k : {"schedule", "timeZone", "concurrencyPolicy"})
        if (const YamlNode* v = at(o, {"spec", k})) w[k] = *v;
      for (const char* k : {"backoffLimit", "activeDeadlineSeconds"})
        if (const YamlNode* v = at(o, {"spec", "jobTemplate", "spec", k})) w[k] = *v;
    } else {
      pod = at(o, {"spec", "template"});
      w["hook"] = YamlNode::str(text_at(o, {"metadata", "annotations", kHook}));
      for (const char* k : {"backoffLimit", "activeDeadlineSeconds"})
        if (const YamlNode* v = at(o, {"spec", k})) w[k] = *v;
    }
    if (!pod) {
      error(fmt::format("{} `{}` has no pod template", kind, name));
      return;
    }
    if (YamlNode pl = labels_beyond(at(*pod, {"metadata", "labels"}), w.object_labels, {kHook, kPreDeploy});
        !pl.empty())
      w["podLabels"] = pl;
    if (const YamlNode* sc = at(*pod, {"spec", "securityContext"})) pod_sc_ = *sc;
    read_pod_extras(*pod, w);
    const YamlNode& c = first_item(at(*pod, {"spec", "containers"}));
    if (!c.is_map()) {
      error(fmt::format("{} `{}` has no container", kind, name));
      return;
    }
    w["image"] = image_values(text_at(c, {"image"}), c.find("imagePullPolicy"));
    for (const char* k : {"command", "args", "resources", "startupProbe", "livenessProbe", "readinessProbe"})
      if (const YamlNode* v = c.find(k)) w[k] = *v;
    if (const YamlNode* sc = c.find("securityContext")) container_sc_ = *sc;
    if (const YamlNode* ports = c.find("ports"); ports && ports->is_seq()) {
      YamlNode list = YamlNode::seq();
      for (const auto& p : ports->items()) {
        YamlNode& e = list.push(YamlNode::map());
        if (const YamlNode* n = p.find("name")) e.set("name", *n);
        if (const YamlNode* n = p.find("containerPort")) e.set("containerPort", *n);
      }
      w["ports"] = list;
    }
    if (const YamlNode* env = c.find("env"); env && env->is_seq()) {
      YamlNode secrets = YamlNode::map(), literal = YamlNode::map();
      for (const auto& e : env->items()) {
        std::string var = text_at(e, {"name"});
        if (const YamlNode* v = e.find("value")) {
          literal.set(var, *v);
        } else if (const YamlNode* s = at(e, {"valueFrom", "secretKeyRef"})) {
          YamlNode& ref = secrets.set(var, YamlNode::map());
          ref.set("secret", text_at(*s, {"name"}));
          ref.set("key", text_at(*s, {"key"}));
        } else if (const YamlNode* cm = at(e, {"valueFrom", "configMapKeyRef"})) {
          if (text_at(*cm, {"name"}) != name + "-env" || text_at(*cm, {"key"}) != var)
            error(fmt::format("`{}` of `{}` reads a ConfigMap key the chart cannot express", var, name));
        } else {
          error(fmt::format("`{}` of `{}` has a value the chart cannot express", var, name));
        }
      }
      if (!secrets.empty()) w["secretEnv"] = secrets;
      if (!literal.empty()) w["env"] = literal;
    }
  }

  void read_other(const YamlNode& o) {
    std::string kind = text_at(o, {"kind"}), name = name_of(o);
    if (kind == "Namespace" || kind == "Deployment" || kind == "StatefulSet" || kind == "CronJob" || kind == "Job")
      return;
    if (kind == "ServiceAccount") {
      Workload* w = workload(name, o);
      if (!w) return;
      YamlNode sa = YamlNode::map();
      if (YamlNode l = labels_beyond(at(o, {"metadata", "labels"}), w->object_labels, {kPreDeploy}); !l.empty())
        sa.set("labels", std::move(l));
      // The hook annotations of a pre-deploy job's ServiceAccount come from the template.
      if (YamlNode a = without_hook_annotations(at(o, {"metadata", "annotations"})); !a.empty())
        sa.set("annotations", std::move(a));
      (*w)["serviceAccount"] = std::move(sa);
    } else if (kind == "ConfigMap" && at(o, {"metadata", "labels", "grafana_dashboard"})) {
      read_dashboard(o, name);
    } else if (kind == "ConfigMap") {
      std::string owner = name.size() > 4 && name.ends_with("-env") ? name.substr(0, name.size() - 4) : "";
      Workload* w = workload(owner.empty() ? name : owner, o);
      if (!w) return;
      if (const YamlNode* d = o.find("data")) (*w)["config"] = *d;
    } else if (kind == "Service" && headless_of_stateful_set(o, name)) {
      // statefulsets.yaml writes it from the StatefulSet's values.
    } else if (kind == "Service" && text_at(o, {"spec", "type"}) == "LoadBalancer") {
      read_load_balancer(o);
    } else if (kind == "Service") {
      if (Workload* w = workload(name, o)) {
        (*w)["service"].set("enabled", YamlNode::boolean(true));
        if (const YamlNode* a = at(o, {"metadata", "annotations"})) (*w)["service"].set("annotations", *a);
        read_service_ports(o, *w);
      }
    } else if (kind == "Ingress") {
      read_ingress(o, name);
    } else if (kind == "FrontendConfig") {
      // GKE's HTTP-to-HTTPS redirect of the host's Ingress, of the same name.
      const YamlNode* on = at(o, {"spec", "redirectToHttps", "enabled"});
      ingresses_[name].set("redirectToHttps", YamlNode::boolean(on && on->kind() == YamlNode::Kind::Bool && on->b()));
    } else if (kind == "BackendConfig") {
      // GKE's settings of an exposed service's backend (`expose.timeout`).
      if (Workload* w = workload(name, o))
        if (const YamlNode* spec = o.find("spec")) (*w)["backendConfig"] = *spec;
    } else if (kind == "HorizontalPodAutoscaler") {
      read_hpa(o, name);
    } else if (kind == "PodDisruptionBudget") {
      if (Workload* w = workload(name, o)) {
        YamlNode& p = (*w)["podDisruptionBudget"];
        p.set("enabled", YamlNode::boolean(true));
        if (const YamlNode* m = at(o, {"spec", "maxUnavailable"})) p.set("maxUnavailable", *m);
      }
    } else if (kind == "NetworkPolicy") {
      if (name == "default-deny" || name == "allow-dns") {
        network_policy_ = true;
        return;
      }
      Workload* w = workload(name, o);
      if (!w) return;
      YamlNode np = YamlNode::map();
      // The egress hosts a NetworkPolicy rule cannot name (platc.dev/egress-hosts).
      if (const YamlNode* a = at(o, {"metadata", "annotations"})) np.set("annotations", *a);
      for (const char* k : {"ingress", "egress"})
        if (const YamlNode* r = at(o, {"spec", k}))
          np.set(k, network_rules(*r, k == std::string("ingress") ? "from" : "to"));
      if (!np.empty()) (*w)["networkPolicy"] = std::move(np);
    } else if (kind == "ServiceMonitor" || kind == "PodMonitor") {
      Workload* w = workload(name, o);
      if (!w) return;
      const YamlNode& ep = first_item(at(o, {"spec", kind == "ServiceMonitor" ? "endpoints" : "podMetricsEndpoints"}));
      YamlNode& m = (*w)["metrics"];
      m.set("enabled", YamlNode::boolean(true));
      for (const char* k : {"port", "path", "interval"})
        if (const YamlNode* v = ep.is_map() ? ep.find(k) : nullptr) m.set(k, *v);
    } else if (kind == "PrometheusRule") {
      const YamlNode& g = first_item(at(o, {"spec", "groups"}));
      if (const YamlNode* r = g.is_map() ? g.find("rules") : nullptr) alerts_ = *r;
    } else if (kind == "ExternalSecret") {
      read_external_secret(o, name);
    } else if (kind == "Secret" && name.ends_with("-env-secret")) {
      // A workload's values that look like secrets: never into values; the chart writes the
      // object itself (chart.cpp, templates/env-secrets.yaml).
      if (workload(name.substr(0, name.size() - 11), o) && env_secrets_) env_secrets_->push_back(o);
    } else {
      error(fmt::format("the chart has no template for {} `{}`", kind, name));
    }
  }

  // What a pod template has beyond its container: platc's `wait_for` init containers, sidecars, the grace
  // period, the user's annotations (the config checksum is the template's), and the volumes when
  // they are more than the unsized /tmp every workload has (the template's default).
  void read_pod_extras(const YamlNode& pod, Workload& w) {
    if (YamlNode a = without_keys(at(pod, {"metadata", "annotations"}), {kConfigChecksum}); !a.empty())
      w["podAnnotations"] = std::move(a);
    if (const YamlNode* g = at(pod, {"spec", "terminationGracePeriodSeconds"})) w["terminationGracePeriodSeconds"] = *g;
    if (const YamlNode* i = at(pod, {"spec", "initContainers"})) w["initContainers"] = *i;
    // Every container after the first is a sidecar, kept as written.
    if (const YamlNode* cs = at(pod, {"spec", "containers"}); cs && cs->items().size() > 1) {
      YamlNode sidecars = YamlNode::seq();
      for (std::size_t k = 1; k < cs->items().size(); ++k) sidecars.push(cs->items()[k]);
      w["sidecars"] = std::move(sidecars);
    }
    const YamlNode* vols = at(pod, {"spec", "volumes"});
    const YamlNode& c = first_item(at(pod, {"spec", "containers"}));
    const YamlNode* mounts = c.is_map() ? c.find("volumeMounts") : nullptr;
    YamlNode tmp_only = YamlNode::seq(), tmp_mount = YamlNode::seq();
    YamlNode& v = tmp_only.push(YamlNode::map());
    v.set("name", "tmp");
    v.set("emptyDir", YamlNode::map());
    YamlNode& m = tmp_mount.push(YamlNode::map());
    m.set("name", "tmp");
    m.set("mountPath", "/tmp");
    // A StatefulSet's claim is mounted without being a pod volume: compare both.
    if ((vols && !same(*vols, tmp_only)) || (mounts && !same(*mounts, tmp_mount))) {
      if (vols) w["volumes"] = *vols;
      if (mounts) w["volumeMounts"] = *mounts;
    }
  }

  // A headless Service (`NAME-headless`, clusterIP None) of the StatefulSet NAME.
  bool headless_of_stateful_set(const YamlNode& o, const std::string& name) const {
    if (!name.ends_with("-headless") || text_at(o, {"spec", "clusterIP"}) != "None") return false;
    auto it = workloads_.find(name.substr(0, name.size() - 9));
    if (it == workloads_.end()) return false;
    auto kind = it->second.fields.find("kind");
    return kind != it->second.fields.end() && kind->second.text() == "StatefulSet";
  }

  // NetworkPolicy rules with every peer that selects one workload's pods written as
  // `{workload: NAME}`: the template selects it by name and the release's instance label, so the
  // rules hold no release name.
  YamlNode network_rules(const YamlNode& rules, const char* peers_key) const {
    YamlNode out = rules;
    if (!out.is_seq()) return out;
    YamlNode list = YamlNode::seq();
    for (const auto& rule : rules.items()) {
      YamlNode r = YamlNode::map();
      for (const auto& [k, v] : rule.entries()) {
        if (k != peers_key || !v.is_seq()) {
          r.set(k, v);
          continue;
        }
        YamlNode& peers = r.set(k, YamlNode::seq());
        for (const auto& peer : v.items()) {
          const YamlNode* ml = at(peer, {"podSelector", "matchLabels"});
          std::string name = ml ? text_at(*ml, {"app.kubernetes.io/name"}) : "";
          bool one_workload = peer.entries().size() == 1 && ml && ml->entries().size() == 2 && !name.empty() &&
                              text_at(*ml, {"app.kubernetes.io/instance"}) == instance_;
          if (one_workload) {
            YamlNode w = YamlNode::map();
            w.set("workload", name);
            peers.push(std::move(w));
          } else {
            peers.push(peer);
          }
        }
      }
      list.push(std::move(r));
    }
    return list;
  }

  // A Service port other than its container port, and its appProtocol, onto the workload's ports
  // (read from the Deployment before).
  void read_service_ports(const YamlNode& o, Workload& w) {
    const YamlNode* sports = at(o, {"spec", "ports"});
    auto it = w.fields.find("ports");
    if (!sports || it == w.fields.end()) return;
    YamlNode updated = YamlNode::seq();
    for (const auto& p : it->second.items()) {
      YamlNode e = p;
      for (const auto& sp : sports->items())
        if (text_at(sp, {"name"}) == text_at(p, {"name"})) {
          const YamlNode* port = sp.find("port");
          const YamlNode* cport = p.find("containerPort");
          if (port && cport && port->i() != cport->i()) e.set("port", *port);
          if (const YamlNode* ap = sp.find("appProtocol")) e.set("appProtocol", *ap);
        }
      updated.push(std::move(e));
    }
    it->second = std::move(updated);
  }

  // A `load_balancer`'s Service `<name>-lb`, of the workload it selects: the port by name (its
  // number is the workload's Service port), the controller's annotations, the source ranges.
  void read_load_balancer(const YamlNode& o) {
    std::string owner = text_at(o, {"spec", "selector", "app.kubernetes.io/name"});
    Workload* w = workload(owner, o);
    if (!w) return;
    if (name_of(o) != owner + "-lb") {
      error(fmt::format("the LoadBalancer Service `{}` of `{}` is not named `{}-lb`", name_of(o), owner, owner));
      return;
    }
    YamlNode lb = YamlNode::map();
    lb.set("enabled", YamlNode::boolean(true));
    if (const YamlNode* a = at(o, {"metadata", "annotations"})) lb.set("annotations", *a);
    lb.set("port", text_at(first_item(at(o, {"spec", "ports"})), {"name"}));
    if (const YamlNode* r = at(o, {"spec", "loadBalancerSourceRanges"})) lb.set("sourceRanges", *r);
    (*w)["loadBalancer"] = std::move(lb);
  }

  // The Ingress of a public host: its rules' paths in order (longest first), each to a Service
  // port by name.
  void read_ingress(const YamlNode& o, const std::string& name) {
    YamlNode ing = YamlNode::map();
    const YamlNode& rule = first_item(at(o, {"spec", "rules"}));
    ing.set("host", text_at(rule, {"host"}));
    if (const YamlNode* c = at(o, {"spec", "ingressClassName"})) ing.set("className", *c);
    if (const YamlNode* a = at(o, {"metadata", "annotations"})) ing.set("annotations", *a);
    const YamlNode& tls = first_item(at(o, {"spec", "tls"}));
    ing.set("tls", YamlNode::boolean(tls.is_map()));
    if (tls.is_map())
      if (const YamlNode* s = tls.find("secretName")) ing.set("tlsSecretName", *s);
    // A FrontendConfig read before its Ingress already said whether HTTP is redirected.
    if (const YamlNode* r = ingresses_[name].find("redirectToHttps")) ing.set("redirectToHttps", *r);
    YamlNode& paths = ing.set("paths", YamlNode::seq());
    if (const YamlNode* ps = rule.is_map() ? at(rule, {"http", "paths"}) : nullptr; ps && ps->is_seq())
      for (const auto& p : ps->items()) {
        YamlNode& e = paths.push(YamlNode::map());
        e.set("path", text_at(p, {"path"}));
        e.set("service", text_at(p, {"backend", "service", "name"}));
        e.set("port", text_at(p, {"backend", "service", "port", "name"}));
      }
    ingresses_[name] = std::move(ing);
  }

  void read_hpa(const YamlNode& o, const std::string& name) {
    Workload* w = workload(name, o);
    if (!w) return;
    YamlNode a = YamlNode::map();
    a.set("enabled", YamlNode::boolean(true));
    for (const char* k : {"minReplicas", "maxReplicas"})
      if (const YamlNode* v = at(o, {"spec", k})) a.set(k, *v);
    if (const YamlNode* metrics = at(o, {"spec", "metrics"}); metrics && metrics->is_seq())
      for (const auto& m : metrics->items()) {
        std::string res = text_at(m, {"resource", "name"});
        const YamlNode* u = at(m, {"resource", "target", "averageUtilization"});
        if (!u) continue;
        if (res == "cpu") a.set("targetCPUUtilizationPercentage", *u);
        if (res == "memory") a.set("targetMemoryUtilizationPercentage", *u);
      }
    if (const YamlNode* min = a.find("minReplicas")) (*w)["replicas"] = *min;
    (*w)["autoscaling"] = std::move(a);
  }

  void read_dashboard(const YamlNode& o, const std::string& name) {
    std::string dash = name.starts_with("dashboard-") ? name.substr(10) : "";
    const YamlNode* data = o.find("data");
    std::string key = platform_ + "-" + dash + ".json";
    const YamlNode* model = data && data->is_map() ? data->find(key) : nullptr;
    if (dash.empty() || !model || data->entries().size() != 1 || !model->text().ends_with("\n")) {
      error(fmt::format("dashboard ConfigMap `{}` is not `dashboard-NAME` with one `{}-NAME.json`", name, platform_));
      return;
    }
    YamlNode d = YamlNode::map();
    if (YamlNode l = extra_labels(at(o, {"metadata", "labels"}), common_, {"grafana_dashboard"}); !l.empty())
      d.set("labels", std::move(l));
    // Without the final newline: the template's `|` block adds it back.
    d.set("json", model->text().substr(0, model->text().size() - 1));
    dashboards_[dash] = std::move(d);
  }

  void read_external_secret(const YamlNode& o, const std::string& name) {
    YamlNode s = YamlNode::map();
    s.set("component", text_at(o, {"metadata", "labels", "app.kubernetes.io/component"}));
    if (YamlNode l = extra_labels(at(o, {"metadata", "labels"}), common_); !l.empty()) s.set("labels", std::move(l));
    if (const YamlNode* d = at(o, {"spec", "data"})) s.set("data", *d);
    if (at(o, {"metadata", "annotations", "helm.sh/hook"})) s.set("hook", "pre-deploy");
    store_.set("kind", text_at(o, {"spec", "secretStoreRef", "kind"}));
    store_.set("name", text_at(o, {"spec", "secretStoreRef", "name"}));
    if (!read_rds_find(o, s)) store_.set("refreshInterval", text_at(o, {"spec", "refreshInterval"}));
    secrets_[name] = std::move(s);
  }

  // An AWS database's connection Secret also finds the secret RDS manages by its tag, the
  // instance's ARN (backends/kubernetes/secrets.cpp). The values keep the instance's identifier
  // per secret and the region and account once (`aws`), which the pipeline sets when the platform
  // declares no account; the template and its own refresh interval as they are.
  bool read_rds_find(const YamlNode& o, YamlNode& s) {
    const YamlNode* from = at(o, {"spec", "dataFrom"});
    if (!from || !from->is_seq() || from->items().size() != 1) return false;
    std::string arn = text_at(first_item(from), {"find", "tags", contract::Deployment::kRdsSecretTag});
    // arn:aws:rds:<region>:<account>:db:<identifier>
    std::vector<std::string> parts;
    for (std::size_t b = 0, e; b <= arn.size(); b = e + 1) {
      e = std::min(arn.find(':', b), arn.size());
      parts.push_back(arn.substr(b, e - b));
    }
    if (parts.size() != 7 || parts[5] != "db") return false;
    aws_.set("region", parts[3]);
    aws_.set("account", parts[4]);
    s.set("rdsInstance", parts[6]);
    s.set("refreshInterval", text_at(o, {"spec", "refreshInterval"}));
    if (const YamlNode* t = at(o, {"spec", "target", "template", "data"})) s.set("template", *t);
    return true;
  }

  YamlNode assemble() {
    YamlNode v = YamlNode::map();
    v.set("platform", platform_);
    v.set("namespace", namespace_);
    v.set("commonLabels", common_);
    v.set("podSecurityContext", pod_sc_);
    v.set("containerSecurityContext", container_sc_);
    if (store_.empty()) {
      store_.set("kind", "ClusterSecretStore");
      store_.set("name", std::string(contract::target(env_.target).secret_store));
      store_.set("refreshInterval", "1h");
    }
    // Secrets that refresh on their own interval (rdsInstance) leave the store's default as it is.
    if (!store_.find("refreshInterval")) store_.set("refreshInterval", "1h");
    v.set("secretStore", store_);
    if (!aws_.empty()) v.set("aws", aws_);
    v.child("networkPolicy").set("enabled", YamlNode::boolean(network_policy_));
    YamlNode& secrets = v.child("externalSecrets");
    for (auto& [name, s] : secrets_) secrets.set(name, std::move(s));
    if (!alerts_.empty()) v.set("alerts", alerts_);
    if (!dashboards_.empty()) {
      YamlNode& ds = v.child("dashboards");
      for (auto& [name, d] : dashboards_) ds.set(name, std::move(d));
    }
    if (!ingresses_.empty()) {
      YamlNode& is = v.child("ingresses");
      for (auto& [name, i] : ingresses_) is.set(name, std::move(i));
    }
    YamlNode& wl = v.child("workloads");
    for (auto& [name, w] : workloads_) {
      YamlNode& out = wl.set(name, YamlNode::map());
      for (const char* k : kFieldOrder)
        if (auto it = w.fields.find(k); it != w.fields.end()) out.set(k, std::move(it->second));
    }
    return v;
  }
};

}  // namespace

YamlNode values_of(const Environment& env, Diagnostics& diags, std::vector<YamlNode>* env_secrets) {
  return Reader(env, diags, env_secrets).run();
}

YamlNode values_diff(const YamlNode& base, const YamlNode& over) {
  YamlNode out = YamlNode::map();
  if (!base.is_map() || !over.is_map()) return over;
  for (const auto& [k, v] : over.entries()) {
    const YamlNode* b = base.find(k);
    if (!b) {
      out.set(k, v);
    } else if (!same(*b, v)) {
      if (b->is_map() && v.is_map()) {
        YamlNode d = values_diff(*b, v);
        // An empty map over a non-empty one: merging changes nothing, so replace key by key.
        out.set(k, std::move(d));
      } else {
        out.set(k, v);
      }
    }
  }
  for (const auto& [k, v] : base.entries())
    if (!over.find(k)) out.set(k, YamlNode());
  return out;
}

}  // namespace platc::helm
