// What a pod template gets beyond its main container's image, environment and probes: the writable
// volumes (a read-only root filesystem leaves no other place to write), the persistent volume of a
// stateful service, the user's pod annotations beside platc's own, and the grace period.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "backends/contract/names.h"
#include "backends/kubernetes/families.h"

namespace platc::kubernetes {

using emit::YamlNode;
using graph::Node;
using graph::Value;
using graph::ValueKind;

namespace {

// A volume name (a DNS label) from a mount path: `/var/cache` -> `var-cache`. Distinct paths can
// spell the same (`/a/b`, `/a-b`): the later one gets a number.
std::string volume_name(std::string_view path, std::set<std::string>& taken) {
  std::string out;
  for (char c : path) {
    char l = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    bool ok = (l >= 'a' && l <= 'z') || (l >= '0' && l <= '9');
    if (ok)
      out += l;
    else if (!out.empty() && out.back() != '-')
      out += '-';
  }
  if (out.size() > 50) out.resize(50);
  while (!out.empty() && out.back() == '-') out.pop_back();
  if (out.empty()) out = "volume";
  std::string name = out;
  for (int k = 2; !taken.insert(name).second; ++k) name = fmt::format("{}-{}", out, k);
  return name;
}

void mount(YamlNode& mounts, const std::string& name, const std::string& path) {
  YamlNode& m = mounts.push(YamlNode::map());
  m.set("name", name);
  m.set("mountPath", path);
}

YamlNode empty_dir(const std::string& name, const Value* size) {
  YamlNode v = YamlNode::map();
  v.set("name", name);
  YamlNode& e = v.set("emptyDir", YamlNode::map());
  if (size && size->kind == ValueKind::Size) e.set("sizeLimit", graph::format_bytes(size->i));
  return v;
}

}  // namespace

void add_volumes(const Workload& w, const EnvPlan& plan, YamlNode& spec, YamlNode& container) {
  const Node& n = *w.node;
  // Built apart and set last: setting a key of `spec` may move the container that holds `mounts`.
  YamlNode mounts = YamlNode::seq(), vols = YamlNode::seq();
  // `tmp` first, as every workload has it; sized when `volumes` lists `/tmp`.
  std::set<std::string> taken = {"tmp", std::string(kStorageVolume)};
  const Value* tmp_size = nullptr;
  for (const auto& [path, a] : n.entries("volumes"))
    if (path == "/tmp") tmp_size = &a->value;
  mount(mounts, "tmp", "/tmp");
  vols.push(empty_dir("tmp", tmp_size));
  for (const auto& [path, a] : n.entries("volumes")) {
    if (path == "/tmp") continue;
    std::string name = volume_name(path, taken);
    mount(mounts, name, path);
    vols.push(empty_dir(name, &a->value));
  }
  // The CA bundle of each data store whose `ca_file` the workload reads: one key of its connection
  // Secret (a pre-deploy job's own copy), read-only, so a client can verify the server.
  for (const auto& id : plan.ca_bundles) {
    std::string dir = contract::ca_directory(id);
    std::string name = volume_name(dir, taken);
    YamlNode& m = mounts.push(YamlNode::map());
    m.set("name", name);
    m.set("mountPath", dir);
    m.set("readOnly", YamlNode::boolean(true));
    YamlNode& v = vols.push(YamlNode::map());
    v.set("name", name);
    YamlNode& secret = v.child("secret");
    std::string secret_name = contract::connection_secret(id);
    secret.set("secretName", w.pre_deploy ? contract::hook_copy(secret_name) : secret_name);
    YamlNode& item = secret.set("items", YamlNode::seq()).push(YamlNode::map());
    item.set("key", std::string(contract::kCaKey));
    item.set("path", std::string(contract::kCaFile));
  }
  // A stateful service's claim (the StatefulSet's volumeClaimTemplates) is a volume of its own.
  if (n.has_block("storage")) {
    if (const Value* p = n.value("storage.path"); p && p->kind == ValueKind::String)
      mount(mounts, kStorageVolume, p->plain());
  }
  container.set("volumeMounts", std::move(mounts));
  spec.set("volumes", std::move(vols));
}

// The claim of `storage`, one per pod (the StatefulSet's volumeClaimTemplates), which
// add_volumes mounts at `storage.path`.
YamlNode claim_templates(const Context& ctx, const Workload& w) {
  const Node& n = *w.node;
  YamlNode list = YamlNode::seq();
  YamlNode& c = list.push(YamlNode::map());
  c.child("metadata").set("name", kStorageVolume);
  YamlNode& spec = c.child("spec");
  spec.set("accessModes", YamlNode::seq()).push(YamlNode::str("ReadWriteOnce"));
  if (n.value("storage.class")) spec.set("storageClassName", ctx.plain_of(n, "storage.class"));
  if (const Value* size = n.value("storage.size"); size && size->kind == ValueKind::Size)
    spec.child("resources").child("requests").set("storage", graph::format_bytes(size->i));
  return list;
}

YamlNode pod_annotations(const Node& n, const std::string& config_checksum) {
  YamlNode a = YamlNode::map();
  // The check step refuses user keys in platc's domain (E0445), so neither replaces the other.
  if (!config_checksum.empty()) a.set(std::string(kAnnotationDomain) + "/config-checksum", config_checksum);
  std::vector<std::pair<std::string, std::string>> user;
  for (const auto& [key, at] : n.entries("annotations"))
    user.emplace_back(key, at->value.kind == ValueKind::String ? at->value.plain() : number_text(at->value));
  std::sort(user.begin(), user.end());
  for (const auto& [k, v] : user) a.set(k, v);
  return a;
}

void termination_grace(const Node& n, YamlNode& spec) {
  if (const Value* g = n.value("termination_grace"); g && g->kind == ValueKind::Duration)
    spec.set("terminationGracePeriodSeconds", YamlNode::integer(g->i));
}

}  // namespace platc::kubernetes
