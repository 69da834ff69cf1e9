// `wait_for`: one init container per target that waits until the target's host and port accept a
// TCP connection. It reads host and port as the workload's own container reads the target's
// outputs (a data store's connection Secret through secretKeyRef, a service's Service address),
// so the init container and the app cannot disagree on where the target is. The NetworkPolicy
// side is the graph's: sema makes every `wait_for` target a network edge (network.cpp).
#include <fmt/format.h>

#include <algorithm>
#include <optional>

#include "backends/contract/names.h"
#include "backends/kubernetes/families.h"
#include "compiler/support/names.h"

namespace platc::kubernetes {

using emit::YamlNode;
using graph::Node;
using graph::Value;
using graph::ValueKind;

namespace {

// busybox's `nc -z` and `date` are all the script needs. A pinned release tag (no digest: the
// build has no registry to verify one against); the image policy (P0401) asks no less of users.
constexpr const char* kWaitImage = "busybox:1.36.1";

// Kubernetes expands `$(NAME)` in `command`, so the script uses backticks, never `$(`. A topic's
// connection Secret holds a broker list (`host:port,host:port`, possibly `SCHEME://`): its first
// broker stands for the cluster.
constexpr const char* kWaitScript =
    "if [ -n \"${BROKERS:-}\" ]; then a=${BROKERS%%,*}; a=${a##*/}; HOST=${a%:*}; PORT=${a##*:}; fi\n"
    "deadline=`date +%s`; deadline=`expr \"$deadline\" + 300`\n"
    "until nc -z -w 2 \"$HOST\" \"$PORT\"; do\n"
    "  if [ \"`date +%s`\" -ge \"$deadline\" ]; then\n"
    "    echo \"platc wait_for: gave up on $TARGET at $HOST:$PORT after 300s\" >&2\n"
    "    exit 1\n"
    "  fi\n"
    "  echo \"platc wait_for: waiting for $TARGET at $HOST:$PORT\"\n"
    "  sleep 2\n"
    "done\n"
    "echo \"platc wait_for: $TARGET at $HOST:$PORT accepts connections\"\n";

YamlNode literal(const std::string& name, const std::string& value) {
  YamlNode e = YamlNode::map();
  e.set("name", name);
  e.set("value", value);
  return e;
}

YamlNode from_secret(const std::string& name, const std::string& secret, const std::string& key) {
  YamlNode e = YamlNode::map();
  e.set("name", name);
  YamlNode& r = e.child("valueFrom").child("secretKeyRef");
  r.set("name", secret);
  r.set("key", key);
  return e;
}

YamlNode small_resources() {
  YamlNode r = YamlNode::map();
  r.child("requests").set("cpu", "10m");
  r.child("requests").set("memory", "16Mi");
  r.child("limits").set("cpu", "100m");
  r.child("limits").set("memory", "32Mi");
  return r;
}

// The container name: `wait-for-` and the target's Kubernetes spelling (data store names are at
// most 47 characters, workload names 52, so it fits a DNS label).
std::string container_name(const std::string& id) {
  return "wait-for-" + k8s_spelling(id);
}

}  // namespace

std::vector<std::string> wait_targets(const Node& n) {
  std::vector<std::string> out;
  if (const Value* l = n.value("wait_for"); l && l->kind == ValueKind::List)
    for (const auto& item : l->items)
      if (item.kind == ValueKind::Ref && std::find(out.begin(), out.end(), item.text) == out.end())
        out.push_back(item.text);
  return out;
}

void plan_waits(const Context& ctx, const Workload& w, EnvPlan& plan) {
  for (const auto& id : wait_targets(*w.node)) {
    const Node* t = ctx.g.find(id);
    if (!t || t->id == w.node->id) continue;  // itself: reported by the check step
    YamlNode env = YamlNode::seq();
    env.push(literal("TARGET", t->id));
    if (const Workload* callee = ctx.workload_at(ctx.g.index_of(*t))) {
      // What clients call: the Service's port, as `api.url` and `api.port` say.
      if (callee->ports.empty()) continue;  // reported by the check step
      env.push(literal("HOST", fmt::format("{}.{}.svc.cluster.local", callee->name, ctx.ns)));
      env.push(literal("PORT", std::to_string(callee->ports.front().service_port)));
    } else {
      std::string secret = contract::connection_secret(t->id);
      if (w.pre_deploy) secret = contract::hook_copy(secret);
      // The port the contract knows (a database's, a cache's per cloud and TLS) is the one the
      // NetworkPolicy opens and the app reads from its ConfigMap; the host exists after deploy.
      std::optional<std::string> port = ctx.deployment.known_output(*t, "port");
      for (const char* key :
           t->kind == "topic" ? std::vector<const char*>{"brokers"} : std::vector<const char*>{"host", "port"}) {
        std::string var = key == std::string("brokers") ? "BROKERS" : key == std::string("host") ? "HOST" : "PORT";
        if (var == "PORT" && port) {
          env.push(literal(var, *port));
          continue;
        }
        plan.connections[t->id].insert(key);
        env.push(from_secret(var, secret, key));
      }
    }
    YamlNode c = YamlNode::map();
    c.set("name", container_name(t->id));
    c.set("image", kWaitImage);
    c.set("imagePullPolicy", "IfNotPresent");
    YamlNode& cmd = c.set("command", YamlNode::seq());
    for (const char* part : {"sh", "-c", kWaitScript}) cmd.push(YamlNode::str(part));
    c.set("env", std::move(env));
    c.set("resources", small_resources());
    c.set("securityContext", container_security_context());
    // The writable /tmp every container of a platc pod has (its root filesystem is read-only).
    YamlNode& m = c.set("volumeMounts", YamlNode::seq()).push(YamlNode::map());
    m.set("name", "tmp");
    m.set("mountPath", "/tmp");
    plan.init_containers.push_back(std::move(c));
  }
}

}  // namespace platc::kubernetes
