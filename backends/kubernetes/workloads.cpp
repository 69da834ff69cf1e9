// Workloads: the Namespace, and per service, worker or job its ServiceAccount (with the cloud
// identity from the contract), ConfigMap, Deployment or Job/CronJob, Service, GKE BackendConfig,
// HorizontalPodAutoscaler and PodDisruptionBudget.
#include <fmt/format.h>

#include "backends/contract/names.h"
#include "backends/emit/base64.h"
#include "backends/kubernetes/families.h"
#include "backends/kubernetes/load_balancer.h"
#include "backends/kubernetes/probes.h"

namespace platc::kubernetes {

using emit::YamlNode;
using graph::Node;
using graph::Value;
using graph::ValueKind;

namespace {

constexpr std::int64_t kRunAsUser = 10001;

bool probe_possible(const Workload& w) {
  const Value* hp = w.node->value("health.port");
  return !w.ports.empty() || (hp && hp->kind == ValueKind::Int);
}

// The workload's ports, plus a `metrics` port when metrics are scraped from a port of their own.
std::vector<Port> container_ports(const Context& ctx, const Workload& w) {
  std::vector<Port> ports = w.ports;
  if (const Value* mp = w.node->value("metrics.port");
      mp && mp->kind == ValueKind::Int && ctx.port_name_for(w, mp).empty())
    ports.push_back({"metrics", mp->i, mp->i, ""});
  return ports;
}

// `cpu` and `memory` below `prefix` ("resources." or a sidecar's "sidecar.NAME.").
YamlNode resources(const Node& n, const std::string& prefix) {
  YamlNode res = YamlNode::map();
  auto range = [&](const char* attr, const char* key, auto fmt_fn) {
    const Value* v = n.value(attr);
    if (!v) return;
    const Value& lo = v->kind == ValueKind::Range && v->items.size() == 2 ? v->items[0] : *v;
    const Value& hi = v->kind == ValueKind::Range && v->items.size() == 2 ? v->items[1] : *v;
    res.child("requests").set(key, fmt_fn(lo.i));
    res.child("limits").set(key, fmt_fn(hi.i));
  };
  range((prefix + "cpu").c_str(), "cpu", graph::format_millicores);
  range((prefix + "memory").c_str(), "memory", graph::format_bytes);
  // requests before limits, whatever order the attributes came in
  YamlNode ordered = YamlNode::map();
  if (const YamlNode* r = res.find("requests")) ordered.set("requests", *r);
  if (const YamlNode* r = res.find("limits")) ordered.set("limits", *r);
  return ordered;
}

// Adler-32 (RFC 1950) in decimal: what the Helm chart computes with sprig's `adler32sum`, so the
// chart and the manifests carry the same checksum. It only has to change when the text does.
std::string adler32(std::string_view text) {
  std::uint32_t a = 1, b = 0;
  for (unsigned char c : text) {
    a = (a + c) % 65521;
    b = (b + a) % 65521;
  }
  return std::to_string((b << 16) | a);
}

// The checksum of a workload's ConfigMap on its pod template: a changed value changes the pod
// template, so `kubectl apply` and `helm upgrade` roll the pods onto it. The text is each
// `key=value` line in key order, as the chart's `platc.configChecksum` builds it.
std::string config_checksum(const EnvPlan& plan) {
  std::string text;
  for (const auto& [k, v] : plan.config) text += k + "=" + v + "\n";
  return adler32(text);
}

// `command` and `args` of the container whose attributes start with `prefix` ("" or
// "sidecar.exporter."); an item that looks like a secret is the `$(VAR)` that reads it from the
// workload's env Secret (configuration.cpp).
void command_lines(const Node& n, const std::string& prefix, const EnvPlan& plan, YamlNode& c) {
  for (const char* attr : {"command", "args"}) {
    const Value* v = n.value(prefix + attr);
    if (!v || v->kind != ValueKind::List) continue;
    auto moved = plan.secret_args.find(prefix + attr);
    YamlNode& list = c.set(attr, YamlNode::seq());
    for (std::size_t k = 0; k < v->items.size(); ++k) {
      const Value& item = v->items[k];
      if (moved != plan.secret_args.end())
        if (auto it = moved->second.find(k); it != moved->second.end()) {
          list.push(YamlNode::str(it->second));
          continue;
        }
      list.push(YamlNode::str(item.kind == ValueKind::String ? item.plain() : number_text(item)));
    }
  }
}

// A sidecar container: its image, ports, env and resources, the main container's security context,
// and the mounts it shares with it (/tmp and the CA bundles; the app's own volumes stay the app's).
YamlNode sidecar_container(const Node& n, const Sidecar& s, const std::vector<Port>& ports, const EnvPlan& plan,
                           const YamlNode& main_mounts) {
  YamlNode c = YamlNode::map();
  c.set("name", s.name);
  const Value* image = n.value(s.block + ".image");
  c.set("image", image && image->kind == ValueKind::String ? image->plain() : "");
  c.set("imagePullPolicy", "IfNotPresent");
  command_lines(n, s.block + ".", plan, c);
  for (const auto& p : ports)
    if (p.name == s.name) {
      YamlNode& e = c.set("ports", YamlNode::seq()).push(YamlNode::map());
      e.set("name", p.name);
      e.set("containerPort", YamlNode::integer(p.number));
      e.set("protocol", "TCP");
    }
  if (auto env = plan.sidecar_env.find(s.block); env != plan.sidecar_env.end() && !env->second.empty()) {
    YamlNode& list = c.set("env", YamlNode::seq());
    for (const auto& e : env->second) list.push(e);
  }
  if (YamlNode res = resources(n, s.block + "."); !res.empty()) c.set("resources", std::move(res));
  c.set("securityContext", container_security_context());
  YamlNode mounts = YamlNode::seq();
  for (const auto& m : main_mounts.items()) {
    const YamlNode* path = m.find("mountPath");
    std::string p = path ? path->text() : "";
    if (p == "/tmp" || p.starts_with(contract::kCaRoot)) mounts.push(m);
  }
  if (!mounts.items().empty()) c.set("volumeMounts", std::move(mounts));
  return c;
}

YamlNode pod_template(const Context& ctx, const Workload& w, const EnvPlan& plan, bool job) {
  const Node& n = *w.node;
  YamlNode t = YamlNode::map();
  YamlNode& meta = t.child("metadata");
  YamlNode l = ctx.labels(n, w.name, w.version);
  if (ctx.target.identity == contract::IdentityBinding::AzureWorkloadIdentity)
    l.set("azure.workload.identity/use", "true");
  meta.set("labels", std::move(l));
  if (YamlNode a = pod_annotations(n, plan.config.empty() ? "" : config_checksum(plan)); !a.empty())
    meta.set("annotations", std::move(a));
  YamlNode& spec = t.child("spec");
  spec.set("serviceAccountName", w.name);
  if (job) spec.set("restartPolicy", "Never");
  termination_grace(n, spec);
  spec.set("securityContext", pod_security_context());
  if (!plan.init_containers.empty()) {
    YamlNode& init = spec.set("initContainers", YamlNode::seq());
    for (const auto& ic : plan.init_containers) init.push(ic);
  }
  YamlNode& containers = spec.set("containers", YamlNode::seq());
  YamlNode& c = containers.push(YamlNode::map());
  c.set("name", w.name);
  c.set("image", w.image);
  c.set("imagePullPolicy", "IfNotPresent");
  command_lines(n, "", plan, c);
  if (!job) {
    auto ports = container_ports(ctx, w);
    if (!ports.empty()) {
      YamlNode& ps = c.set("ports", YamlNode::seq());
      for (const auto& p : ports) {
        YamlNode& e = ps.push(YamlNode::map());
        e.set("name", p.name);
        e.set("containerPort", YamlNode::integer(p.number));
        e.set("protocol", "TCP");
      }
    }
  }
  if (!plan.env.empty()) {
    YamlNode& env = c.set("env", YamlNode::seq());
    for (const auto& e : plan.env) env.push(e);
  }
  if (YamlNode res = resources(n, "resources."); !res.empty()) c.set("resources", std::move(res));
  if (!job && probe_possible(w)) {
    for (const char* probe : {"startup", "liveness", "readiness"})
      if (std::string path = std::string("health.") + probe; probe_on(n, path))
        c.set(std::string(probe) + "Probe", probe_doc(ctx, w, path));
  }
  c.set("securityContext", container_security_context());
  add_volumes(w, plan, spec, c);
  // The sidecars after the main container (set last: `c` is not used once `containers` grows).
  YamlNode main_mounts = c.find("volumeMounts") ? *c.find("volumeMounts") : YamlNode::seq();
  for (const auto& s : w.sidecars)
    spec.child("containers").push(sidecar_container(n, s, w.sidecar_ports, plan, main_mounts));
  return t;
}

// The ServiceAccount, bound to the workload's cloud identity as the target does it.
YamlNode service_account(const Context& ctx, const Workload& w, const YamlNode& l) {
  YamlNode o = ctx.object("v1", "ServiceAccount", w.name, l);
  YamlNode& meta = o.child("metadata");
  std::string ref = ctx.deployment.identity_reference(w.name);
  switch (ctx.target.identity) {
    case contract::IdentityBinding::AwsIrsa:
      meta.child("annotations").set(std::string(ctx.target.identity_annotation), ref);
      break;
    case contract::IdentityBinding::GkeWorkloadIdentity:
      meta.child("annotations").set(std::string(ctx.target.identity_annotation), ref);
      break;
    case contract::IdentityBinding::AzureWorkloadIdentity:
      meta.child("labels").set("azure.workload.identity/use", "true");
      meta.child("annotations").set(std::string(ctx.target.identity_annotation), ref);
      break;
    case contract::IdentityBinding::None:
      break;
  }
  o.set("automountServiceAccountToken", YamlNode::boolean(false));
  return o;
}

std::int64_t min_replicas(const Node& n) {
  return Context::int_of(n, n.has_block("autoscale") ? "autoscale.min" : "replicas");
}

YamlNode int_or_percent(const Value* v) {
  if (v && v->kind == ValueKind::Int) return YamlNode::integer(v->i);
  return YamlNode::str(std::to_string(v ? percent_int(*v) : 0) + "%");
}

void strategy(const Workload& w, YamlNode& spec) {
  const Node& n = *w.node;
  const Value* r = n.value("rollout");
  std::string rollout = r ? r->text : "";
  YamlNode& s = spec.child("strategy");
  if (rollout == "recreate") {
    s.set("type", "Recreate");
    return;
  }
  s.set("type", "RollingUpdate");
  YamlNode& ru = s.child("rollingUpdate");
  if (rollout == "blue-green") {
    // A complete second set of pods before any old one goes: the closest a Deployment gets.
    ru.set("maxSurge", "100%");
    ru.set("maxUnavailable", YamlNode::integer(0));
  } else if (rollout == "canary") {
    const Value* steps = n.value("canary.steps");
    std::int64_t first = steps && steps->kind == ValueKind::List && !steps->items.empty()
                             ? percent_int(steps->items.front())
                             : 100;  // no steps: everything at once, as `blue-green`
    ru.set("maxSurge", std::to_string(first) + "%");
    ru.set("maxUnavailable", YamlNode::integer(0));
  } else {
    ru.set("maxSurge", int_or_percent(n.value("max_surge")));
    ru.set("maxUnavailable", int_or_percent(n.value("max_unavailable")));
  }
}

// Reloader (stakater/Reloader, a cluster prerequisite) rolls a workload's pods when a Secret it
// names here changes, as a changed ConfigMap does through the config checksum. A pod reads its
// environment once, when it starts, and these Secrets change without a deploy: the External
// Secrets Operator refreshes them from the cloud's store (a password RDS rotated every 7 days, a
// value people put there), and `kubectl apply` or `helm upgrade` rewrites the env Secret without
// touching the pod template. Jobs are left out: each run starts new pods.
constexpr std::string_view kReloadSecrets = "secret.reloader.stakater.com/reload";

std::string reloaded_secrets(const Context& ctx, const Workload& w, const EnvPlan& plan) {
  std::set<std::string> names;
  for (const auto& id : plan.secrets) names.insert(ctx.name_output(id));
  for (const auto& [id, outputs] : plan.connections) names.insert(contract::connection_secret(id));
  if (!plan.secret_env.empty()) names.insert(contract::env_secret(w.name));
  std::string out;
  for (const auto& name : names) out += (out.empty() ? "" : ",") + name;
  return out;
}

YamlNode rollout_annotations(const Node& n) {
  YamlNode a = YamlNode::map();
  const Value* r = n.value("rollout");
  if (!r || (r->text != "blue-green" && r->text != "canary")) return a;
  std::string d = kAnnotationDomain;
  a.set(d + "/rollout", r->text);
  if (r->text == "canary") {
    std::string steps;
    if (const Value* s = n.value("canary.steps"); s && s->kind == ValueKind::List)
      for (const auto& item : s->items) steps += (steps.empty() ? "" : ",") + std::to_string(percent_int(item)) + "%";
    a.set(d + "/canary-steps", steps);
    if (const Value* p = n.value("canary.pause")) a.set(d + "/canary-pause", graph::format_seconds(p->i));
  }
  return a;
}

YamlNode job_doc(const Context& ctx, const Workload& w, const EnvPlan& plan, const YamlNode& l) {
  const Node& n = *w.node;
  YamlNode job_spec = YamlNode::map();
  job_spec.set("backoffLimit", YamlNode::integer(Context::int_of(n, "retries")));
  job_spec.set("activeDeadlineSeconds", YamlNode::integer(Context::int_of(n, "timeout")));
  job_spec.set("template", pod_template(ctx, w, plan, true));
  const Value* hook = n.value("hook");
  if (hook && hook->kind == ValueKind::Symbol) {
    YamlNode j = ctx.object("batch/v1", "Job", w.name, l);
    bool pre = hook->text == "pre_deploy";
    std::string d = kAnnotationDomain;
    j.child("metadata").child("labels").set(d + "/hook", pre ? "pre-deploy" : "post-deploy");
    j.child("metadata").child("annotations").set(d + "/hook", pre ? "pre-deploy" : "post-deploy");
    Context::hook_annotations(j, kHookWeightJob, pre);
    j.set("spec", std::move(job_spec));
    return j;
  }
  YamlNode cj = ctx.object("batch/v1", "CronJob", w.name, l);
  YamlNode& spec = cj.child("spec");
  spec.set("schedule", ctx.plain_of(n, "schedule"));
  spec.set("timeZone", ctx.plain_of(n, "timezone"));
  std::string conc = Context::word_of(n, "concurrency");
  spec.set("concurrencyPolicy", conc == "allow" ? "Allow" : conc == "replace" ? "Replace" : "Forbid");
  YamlNode& jt = spec.child("jobTemplate");
  jt.child("metadata").set("labels", ctx.labels(n, w.name, w.version));
  jt.set("spec", std::move(job_spec));
  return cj;
}

// The headless Service a StatefulSet names as its `serviceName`: each pod's stable DNS name
// (`NAME-0.NAME-headless…`). Clients keep calling the ClusterIP Service.
std::string headless_name(const Workload& w) {
  return w.name + "-headless";
}

YamlNode service_doc(const Context& ctx, const Workload& w, const YamlNode& l, bool headless = false) {
  YamlNode s = ctx.object("v1", "Service", headless ? headless_name(w) : w.name, l);
  if (!headless)
    if (YamlNode a = service_annotations(ctx, w); !a.empty()) s.child("metadata").set("annotations", std::move(a));
  YamlNode& spec = s.child("spec");
  spec.set("type", "ClusterIP");
  if (headless) spec.set("clusterIP", "None");
  spec.set("selector", ctx.selector_labels(w.name));
  YamlNode ports = YamlNode::seq();
  std::vector<Port> service_ports = container_ports(ctx, w);
  service_ports.insert(service_ports.end(), w.sidecar_ports.begin(), w.sidecar_ports.end());
  for (const auto& p : service_ports) {
    YamlNode& e = ports.push(YamlNode::map());
    e.set("name", p.name);
    e.set("port", YamlNode::integer(p.service_port));
    e.set("targetPort", p.name);
    e.set("protocol", "TCP");
    if (!p.app_protocol.empty()) e.set("appProtocol", p.app_protocol);
  }
  if (!ports.empty()) spec.set("ports", std::move(ports));
  return s;
}

YamlNode hpa_doc(const Context& ctx, const Workload& w, const YamlNode& l) {
  const Node& n = *w.node;
  YamlNode o = ctx.object("autoscaling/v2", "HorizontalPodAutoscaler", w.name, l);
  YamlNode& spec = o.child("spec");
  YamlNode& ref = spec.child("scaleTargetRef");
  ref.set("apiVersion", "apps/v1");
  ref.set("kind", n.has_block("storage") ? "StatefulSet" : "Deployment");
  ref.set("name", w.name);
  spec.set("minReplicas", YamlNode::integer(Context::int_of(n, "autoscale.min")));
  spec.set("maxReplicas", YamlNode::integer(Context::int_of(n, "autoscale.max")));
  YamlNode& metrics = spec.set("metrics", YamlNode::seq());
  for (const char* res : {"cpu", "memory"}) {
    const Value* v = n.value(std::string("autoscale.") + res);
    if (!v) continue;
    YamlNode& m = metrics.push(YamlNode::map());
    m.set("type", "Resource");
    YamlNode& r = m.child("resource");
    r.set("name", res);
    r.child("target").set("type", "Utilization");
    r.child("target").set("averageUtilization", YamlNode::integer(percent_int(*v)));
  }
  return o;
}

}  // namespace

std::string ingress_port(const Context& ctx, const Workload& w) {
  std::string name = ctx.port_name_for(w, w.node->value("expose.port"));
  return name.empty() && !w.ports.empty() ? w.ports.front().name : name;
}

std::int64_t ingress_port_number(const Context& ctx, const Workload& w) {
  std::string name = ingress_port(ctx, w);
  for (const auto* list : {&w.ports, &w.sidecar_ports})
    for (const auto& p : *list)
      if (p.name == name) return p.number;
  return 0;
}

YamlNode namespace_doc(const Context& ctx) {
  YamlNode o = YamlNode::map();
  o.set("apiVersion", "v1");
  o.set("kind", "Namespace");
  YamlNode& m = o.child("metadata");
  m.set("name", ctx.ns);
  YamlNode l = ctx.common_labels();
  // The restricted Pod Security Standard, enforced by the API server for every pod.
  l.set("pod-security.kubernetes.io/enforce", "restricted");
  l.set("pod-security.kubernetes.io/audit", "restricted");
  l.set("pod-security.kubernetes.io/warn", "restricted");
  l.set(std::string(kAnnotationDomain) + "/pre-deploy", "true");
  m.set("labels", std::move(l));
  return o;
}

std::vector<YamlNode> workload_docs(const Context& ctx, const Workload& w, const EnvPlan& plan) {
  const Node& n = *w.node;
  std::vector<YamlNode> docs;
  YamlNode l = ctx.labels(n, w.name, w.version);
  YamlNode hook_l = l;
  if (w.pre_deploy) hook_l.set(std::string(kAnnotationDomain) + "/pre-deploy", "true");
  docs.push_back(service_account(ctx, w, hook_l));
  if (w.pre_deploy) Context::hook_annotations(docs.back(), kHookWeightDependencies);
  if (!plan.config.empty()) {
    YamlNode cm = ctx.object("v1", "ConfigMap", w.name + "-env", hook_l);
    if (w.pre_deploy) Context::hook_annotations(cm, kHookWeightDependencies);
    YamlNode& data = cm.child("data");
    for (const auto& [k, v] : plan.config) data.set(k, v);
    docs.push_back(std::move(cm));
  }
  // What looks like a secret, though a waiver accepted it: a Secret, never the ConfigMap.
  if (!plan.secret_env.empty()) {
    YamlNode secret = ctx.object("v1", "Secret", contract::env_secret(w.name), hook_l);
    if (w.pre_deploy) Context::hook_annotations(secret, kHookWeightDependencies);
    secret.set("type", "Opaque");
    YamlNode& data = secret.child("data");
    for (const auto& [k, v] : plan.secret_env) data.set(k, emit::base64(v));
    docs.push_back(std::move(secret));
  }
  if (n.kind == "job") {
    docs.push_back(job_doc(ctx, w, plan, hook_l));
    return docs;
  }
  // A service with `storage` is a StatefulSet: each pod owns a claim (check_pod.cpp refused the
  // rollouts it cannot do, so it has no rollout annotations).
  bool stateful = n.has_block("storage");
  YamlNode d = ctx.object("apps/v1", stateful ? "StatefulSet" : "Deployment", w.name, l);
  YamlNode a = rollout_annotations(n);
  if (std::string secrets = reloaded_secrets(ctx, w, plan); !secrets.empty())
    a.set(std::string(kReloadSecrets), secrets);
  if (!a.empty()) d.child("metadata").set("annotations", std::move(a));
  YamlNode& spec = d.child("spec");
  bool autoscale = n.has_block("autoscale");
  if (!autoscale) spec.set("replicas", YamlNode::integer(Context::int_of(n, "replicas")));
  spec.child("selector").set("matchLabels", ctx.selector_labels(w.name));
  if (stateful) {
    spec.set("serviceName", headless_name(w));
    spec.child("updateStrategy").set("type", "RollingUpdate");
  } else {
    strategy(w, spec);
  }
  spec.set("template", pod_template(ctx, w, plan, false));
  if (stateful) spec.set("volumeClaimTemplates", claim_templates(ctx, w));
  docs.push_back(std::move(d));
  bool exposable = n.has_trait("exposable");
  if (exposable && !w.ports.empty()) docs.push_back(service_doc(ctx, w, l));
  if (stateful) docs.push_back(service_doc(ctx, w, l, true));
  if (load_balancer_port(ctx, w)) docs.push_back(load_balancer_doc(ctx, w, l));
  // The Ingress of its host is in ingresses.yaml (ingress.cpp); its BackendConfig is its own.
  if (has_backend_config(ctx, w)) docs.push_back(backend_config_doc(ctx, w, l));
  if (autoscale) docs.push_back(hpa_doc(ctx, w, l));
  if (min_replicas(n) > 1) {
    YamlNode pdb = ctx.object("policy/v1", "PodDisruptionBudget", w.name, l);
    YamlNode& ps = pdb.child("spec");
    ps.set("maxUnavailable", YamlNode::integer(1));
    ps.child("selector").set("matchLabels", ctx.selector_labels(w.name));
    docs.push_back(std::move(pdb));
  }
  return docs;
}

YamlNode pod_security_context() {
  YamlNode psc = YamlNode::map();
  psc.set("runAsNonRoot", YamlNode::boolean(true));
  psc.set("runAsUser", YamlNode::integer(kRunAsUser));
  psc.set("runAsGroup", YamlNode::integer(kRunAsUser));
  psc.set("fsGroup", YamlNode::integer(kRunAsUser));
  psc.child("seccompProfile").set("type", "RuntimeDefault");
  return psc;
}

YamlNode container_security_context() {
  YamlNode sc = YamlNode::map();
  sc.set("allowPrivilegeEscalation", YamlNode::boolean(false));
  sc.set("readOnlyRootFilesystem", YamlNode::boolean(true));
  sc.set("runAsNonRoot", YamlNode::boolean(true));
  sc.child("capabilities").set("drop", YamlNode::seq()).push(YamlNode::str("ALL"));
  return sc;
}

}  // namespace platc::kubernetes
