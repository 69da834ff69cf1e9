// What the pod options mean in the generated objects, on every target: a `wait_for` init container
// reads the same host and port as the app (the same Secret keys, the same Service address) and the
// NetworkPolicies of both ends allow that port; a StatefulSet's claim is mounted where
// `storage.path` says, its serviceName is a headless Service, its HPA aims at it; volumes and
// annotations land in the pod template.
#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <string>

#include "backends/contract/names.h"
#include "backends/contract/target.h"
#include "backends/kubernetes/kubernetes.h"
#include "compiler/driver/load.h"
#include "compiler/sema/sema.h"
#include "compiler/support/names.h"
#include "tests/unit/objects.h"

using namespace platc;
using emit::YamlNode;
using testing::at;
using testing::text;

namespace {

// Every object of the one environment, by "Kind/name".
std::map<std::string, YamlNode> objects(const std::string& source, const std::string& target,
                                        std::string* ns = nullptr) {
  auto model = testing::compile_text(testing::platform_on(target) + source);
  REQUIRE(!model.graphs.empty());
  const auto& g = model.graphs.front();
  Diagnostics d;
  kubernetes::check(g, d);
  REQUIRE(!d.has_errors());
  auto out = testing::objects(g);
  for (const auto& [key, o] : out)
    if (ns && key.starts_with("Namespace/")) *ns = text(o, {"metadata", "name"});
  return out;
}

const YamlNode& find_by_name(const YamlNode& seq, const std::string& name) {
  for (const auto& item : seq.items())
    if (text(item, {"name"}) == name) return item;
  FAIL("no item named " << name);
  static YamlNode none;
  return none;
}

// An env entry as "secret:NAME/KEY", "config:NAME/KEY" or "value:TEXT".
std::string source_of(const YamlNode& env, const std::string& var) {
  const YamlNode& e = find_by_name(env, var);
  if (const YamlNode* v = e.find("value")) return "value:" + v->text();
  if (const YamlNode* c = at(e, {"valueFrom", "configMapKeyRef"}))
    return "config:" + text(*c, {"name"}) + "/" + text(*c, {"key"});
  return "secret:" + text(e, {"valueFrom", "secretKeyRef", "name"}) + "/" +
         text(e, {"valueFrom", "secretKeyRef", "key"});
}

// (peer, port) pairs of a NetworkPolicy's rules: `pod:NAME` or `cidr:CIDR`.
std::set<std::pair<std::string, std::int64_t>> allowed(const YamlNode& policy, const char* dir, const char* peers) {
  std::set<std::pair<std::string, std::int64_t>> out;
  const YamlNode* rules = at(policy, {"spec", dir});
  if (!rules) return out;
  for (const auto& r : rules->items()) {
    for (const auto& peer : r.find(peers)->items()) {
      std::string who = peer.find("ipBlock")
                            ? "cidr:" + text(peer, {"ipBlock", "cidr"})
                            : "pod:" + text(peer, {"podSelector", "matchLabels", "app.kubernetes.io/name"});
      for (const auto& p : r.find("ports")->items()) out.insert({who, p.find("port")->i()});
    }
  }
  return out;
}

const char* kWaiting = R"(
database orders {
  engine  = postgres 16
  size    = small
  storage = 20Gi
}
cache sessions {
  size = small
}
topic events {
  partitions = 3
}
service api {
  image        = "ghcr.io/shop/api:1.0.0"
  port         = 8080
  service_port = 80
}
worker billing {
  image    = "ghcr.io/shop/billing:2.1.0"
  wait_for = [orders, sessions, events, api]
  env {
    DB_HOST    = orders.host
    DB_PORT    = orders.port
    REDIS_HOST = sessions.host
    REDIS_PORT = sessions.port
    BROKERS    = events.brokers
    API_URL    = api.url
  }
}
)";

}  // namespace

TEST_CASE("wait_for: the init containers read what the app reads, and the NetworkPolicies allow it") {
  for (const char* target : {"aws", "gcp", "azure"}) {
    CAPTURE(target);
    std::string ns;
    auto objs = objects(kWaiting, target, &ns);
    const YamlNode& dep = objs.at("Deployment/billing");
    const YamlNode& pod = *at(dep, {"spec", "template", "spec"});
    const YamlNode& app_env = *pod.find("containers")->items().front().find("env");
    const YamlNode* init = pod.find("initContainers");
    REQUIRE(init);
    REQUIRE(init->items().size() == 4);
    for (const auto& c : init->items()) {
      // Pinned, non-root, read-only, bounded: what the policies ask of the main container.
      CHECK(text(c, {"image"}) == "busybox:1.36.1");
      CHECK(at(c, {"securityContext", "readOnlyRootFilesystem"})->b());
      CHECK(at(c, {"securityContext", "runAsNonRoot"})->b());
      CHECK(at(c, {"resources", "limits", "memory"}));
      CHECK(at(c, {"resources", "requests", "cpu"}));
    }
    const YamlNode& orders = find_by_name(*init, "wait-for-orders");
    CHECK(source_of(*orders.find("env"), "HOST") == source_of(app_env, "DB_HOST"));
    // A port the contract knows is a literal for the init container and a ConfigMap value for
    // the app: the same number.
    const YamlNode& cm = objs.at("ConfigMap/billing-env");
    CHECK(source_of(app_env, "DB_PORT") == "config:billing-env/DB_PORT");
    CHECK(source_of(*orders.find("env"), "PORT") == "value:" + text(cm, {"data", "DB_PORT"}));
    const YamlNode& sessions = find_by_name(*init, "wait-for-sessions");
    CHECK(source_of(*sessions.find("env"), "HOST") == source_of(app_env, "REDIS_HOST"));
    CHECK(source_of(*sessions.find("env"), "PORT") == "value:" + text(cm, {"data", "REDIS_PORT"}));
    const YamlNode& events = find_by_name(*init, "wait-for-events");
    CHECK(source_of(*events.find("env"), "BROKERS") == source_of(app_env, "BROKERS"));

    // The connection Secrets carry the keys the init containers read.
    std::set<std::string> keys;
    for (const auto& d : at(objs.at("ExternalSecret/orders-connection"), {"spec", "data"})->items())
      keys.insert(text(d, {"secretKey"}));
    CHECK(keys.count("host"));
    CHECK_FALSE(keys.count("port"));  // known before deploying: nothing for the cloud side to write

    // The service: its Service's address and port, which targets the port its pods admit billing on.
    const YamlNode& api = find_by_name(*init, "wait-for-api");
    std::string host = source_of(*api.find("env"), "HOST"), port = source_of(*api.find("env"), "PORT");
    CHECK(host == "value:api." + ns + ".svc.cluster.local");
    CHECK(port == "value:80");
    const YamlNode& svc = objs.at("Service/api");
    const YamlNode& sp = svc.find("spec")->find("ports")->items().front();
    CHECK(sp.find("port")->i() == 80);
    CHECK(text(sp, {"targetPort"}) == "http");
    auto api_in = allowed(objs.at("NetworkPolicy/api"), "ingress", "from");
    CHECK(api_in.count({"pod:billing", 8080}));
    auto billing_out = allowed(objs.at("NetworkPolicy/billing"), "egress", "to");
    CHECK(billing_out.count({"pod:api", 8080}));

    // The data stores' ports on this target, the ones in their connection Secrets (contract).
    const auto& t = contract::target(target);
    bool db = false, cache = false, kafka = false;
    for (const auto& [who, p] : billing_out) {
      if (!who.starts_with("cidr:")) continue;
      db = db || p == contract::database_port("postgres");
      cache = cache || p == contract::cache_port(t, true);
      kafka = kafka || std::find(t.kafka_ports.begin(), t.kafka_ports.end(), p) != t.kafka_ports.end();
    }
    CHECK(db);
    CHECK(cache);
    CHECK(kafka);
  }
}

TEST_CASE("wait_for alone opens the network edge") {
  for (const char* target : {"aws", "gcp", "azure"}) {
    CAPTURE(target);
    auto objs = objects(R"(
service api {
  image = "ghcr.io/shop/api:1.0.0"
  port  = 8080
}
worker billing {
  image    = "ghcr.io/shop/billing:2.1.0"
  wait_for = [api]
}
)",
                        target);
    CHECK(allowed(objs.at("NetworkPolicy/api"), "ingress", "from").count({"pod:billing", 8080}));
    CHECK(allowed(objs.at("NetworkPolicy/billing"), "egress", "to").count({"pod:api", 8080}));
  }
}

TEST_CASE("storage: a StatefulSet whose claim is mounted at storage.path") {
  for (const char* target : {"aws", "gcp", "azure"}) {
    CAPTURE(target);
    auto objs = objects(R"(
service search {
  image = "ghcr.io/shop/search:8.15.0"
  port  = 9200
  autoscale {
    min = 2
    max = 4
  }
  volumes {
    "/tmp" = 256Mi
  }
  storage {
    path  = "/usr/share/search/data"
    size  = 10Gi
    class = "fast"
  }
}
)",
                        target);
    CHECK(!objs.count("Deployment/search"));
    const YamlNode& ss = objs.at("StatefulSet/search");
    const YamlNode& claim = at(ss, {"spec", "volumeClaimTemplates"})->items().front();
    std::string claim_name = text(claim, {"metadata", "name"});
    CHECK(text(claim, {"spec", "resources", "requests", "storage"}) == "10Gi");
    CHECK(text(claim, {"spec", "storageClassName"}) == "fast");
    const YamlNode& c = at(ss, {"spec", "template", "spec", "containers"})->items().front();
    CHECK(text(find_by_name(*c.find("volumeMounts"), claim_name), {"mountPath"}) == "/usr/share/search/data");
    // The claim is not also a pod volume (it would shadow the claim).
    for (const auto& v : at(ss, {"spec", "template", "spec", "volumes"})->items())
      CHECK(text(v, {"name"}) != claim_name);
    std::string headless = text(ss, {"spec", "serviceName"});
    const YamlNode& hs = objs.at("Service/" + headless);
    CHECK(text(hs, {"spec", "clusterIP"}) == "None");
    CHECK(objs.count("Service/search"));
    CHECK(text(objs.at("HorizontalPodAutoscaler/search"), {"spec", "scaleTargetRef", "kind"}) == "StatefulSet");
    CHECK(objs.count("PodDisruptionBudget/search"));
    CHECK(!at(ss, {"spec", "replicas"}));
  }
}

TEST_CASE("volumes, annotations and the grace period in the pod template") {
  auto objs = objects(R"(
service api {
  image             = "ghcr.io/shop/api:1.0.0"
  port              = 8080
  termination_grace = 45s
  env { LOG_LEVEL = "info" }
  volumes {
    "/tmp"      = 512Mi
    "/a/b"      = 1Gi
    "/a-b"      = 2Gi
  }
  annotations { "example.com/owner" = "payments" }
}
)",
                      "aws");
  const YamlNode& t = *at(objs.at("Deployment/api"), {"spec", "template"});
  CHECK(at(t, {"spec", "terminationGracePeriodSeconds"})->i() == 45);
  CHECK(text(t, {"metadata", "annotations", "example.com/owner"}) == "payments");
  CHECK(at(t, {"metadata", "annotations", "platc.dev/config-checksum"}));
  const YamlNode& vols = *at(t, {"spec", "volumes"});
  const YamlNode& mounts = *at(t, {"spec", "containers"})->items().front().find("volumeMounts");
  CHECK(vols.items().size() == 3);
  std::map<std::string, std::string> size_at;  // mount path -> sizeLimit
  for (const auto& m : mounts.items())
    size_at[text(m, {"mountPath"})] = text(find_by_name(vols, text(m, {"name"})), {"emptyDir", "sizeLimit"});
  CHECK(size_at == std::map<std::string, std::string>{{"/tmp", "512Mi"}, {"/a/b", "1Gi"}, {"/a-b", "2Gi"}});
}

TEST_CASE("mount paths: absolute, written once") {
  CHECK(mount_path_problem("/tmp").empty());
  CHECK(mount_path_problem("/var/cache/app").empty());
  CHECK(mount_path_problem("/a..b").empty());
  CHECK(!mount_path_problem("").empty());
  CHECK(!mount_path_problem("tmp").empty());
  CHECK(!mount_path_problem("/").empty());
  CHECK(!mount_path_problem("/tmp/").empty());
  CHECK(!mount_path_problem("/a//b").empty());
  CHECK(!mount_path_problem("/a/./b").empty());
  CHECK(!mount_path_problem("/a/..").empty());
  CHECK(!mount_path_problem("/c:d").empty());
}

TEST_CASE("ca_file: the path the app reads is a mounted file of the database's CA bundle, on every target") {
  const char* source = R"(
database orders { engine = postgres 16 }
database ledger { engine = mysql 8.0 }
service api {
  image = "ghcr.io/shop/api:1.0.0"
  port  = 8080
  env {
    PGSSLROOTCERT = orders.ca_file
    PGSSLMODE     = orders.tls_mode
    PGDATABASE    = orders.database
    PGPASSWORD    = orders.password
    LEDGER        = "${ledger.user}@${ledger.host}/${ledger.database}?ca=${ledger.ca_file}"
  }
}
)";
  for (const char* target : {"aws", "gcp", "azure"}) {
    CAPTURE(target);
    auto objs = objects(source, target);
    const YamlNode& cm = objs.at("ConfigMap/api-env");
    CHECK(text(cm, {"data", "PGSSLROOTCERT"}) == "/etc/platc/tls/orders/ca.pem");
    CHECK(text(cm, {"data", "PGSSLMODE"}) == "verify-full");
    CHECK(text(cm, {"data", "PGDATABASE"}) == "orders");
    CHECK(cm.find("data")->find("PGPASSWORD") == nullptr);  // never text
    const YamlNode& pod = *at(objs.at("Deployment/api"), {"spec", "template", "spec"});
    const YamlNode& c = pod.find("containers")->items().front();
    CHECK(source_of(*c.find("env"), "PGPASSWORD") == "secret:orders-connection/password");
    // Each file named in the environment is a read-only mount of key ca_cert of that database's
    // connection Secret, and that Secret's ExternalSecret fetches ca_cert from the store.
    for (const auto& [db, file] :
         {std::pair{"orders", "/etc/platc/tls/orders/ca.pem"}, std::pair{"ledger", "/etc/platc/tls/ledger/ca.pem"}}) {
      CAPTURE(db);
      std::string dir = std::string(file).substr(0, std::string(file).rfind('/'));
      const YamlNode* mount = nullptr;
      for (const auto& m : c.find("volumeMounts")->items())
        if (text(m, {"mountPath"}) == dir) mount = &m;
      REQUIRE(mount);
      CHECK(mount->find("readOnly")->b());
      const YamlNode& vol = find_by_name(*pod.find("volumes"), text(*mount, {"name"}));
      std::string secret = text(vol, {"secret", "secretName"});
      CHECK(secret == contract::connection_secret(db));
      const YamlNode& item = vol.find("secret")->find("items")->items().front();
      CHECK(text(item, {"key"}) == contract::kCaKey);
      CHECK(dir + "/" + text(item, {"path"}) == file);
      bool fetched = false;
      for (const auto& d : objs.at("ExternalSecret/" + secret).find("spec")->find("data")->items())
        fetched = fetched || (text(d, {"secretKey"}) == contract::kCaKey &&
                              text(d, {"remoteRef", "property"}) == contract::kCaKey);
      CHECK(fetched);
    }
    const YamlNode& composed = find_by_name(*c.find("env"), "LEDGER");
    CHECK(text(composed, {"value"}) ==
          "$(PLATC_LEDGER_USER)@$(PLATC_LEDGER_HOST)/ledger?ca=/etc/platc/tls/ledger/ca.pem");
  }
}

TEST_CASE("sidecar: a container of the pod that the Service, the ServiceMonitor and the NetworkPolicy agree on") {
  const char* source = R"(
database orders { engine = postgres 16 }
service api {
  image = "ghcr.io/shop/api:1.0.0"
  port  = 8080
  sidecar exporter {
    image  = "quay.io/prometheuscommunity/postgres-exporter:v0.15.0"
    port   = 9187
    cpu    = 50m .. 100m
    memory = 32Mi .. 64Mi
    env {
      DATA_SOURCE_PASS = orders.password
      CA               = orders.ca_file
    }
  }
  metrics { port = 9187 }
}
service web {
  image = "ghcr.io/shop/web:1.0.0"
  port  = 3000
  env { API = api.url }
}
)";
  for (const char* target : {"aws", "gcp", "azure"}) {
    CAPTURE(target);
    auto objs = objects(source, target);
    const YamlNode& pod = *at(objs.at("Deployment/api"), {"spec", "template", "spec"});
    const auto& containers = pod.find("containers")->items();
    REQUIRE(containers.size() == 2);
    const YamlNode& main = containers[0];
    const YamlNode& side = containers[1];
    CHECK(text(side, {"name"}) == "exporter");
    // The same restricted security context, and the resources it asked for.
    CHECK(emit::to_yaml(*side.find("securityContext")) == emit::to_yaml(*main.find("securityContext")));
    CHECK(text(side, {"resources", "limits", "memory"}) == "64Mi");
    // Its env reads the connection Secret, whose ExternalSecret fetches what it reads.
    CHECK(source_of(*side.find("env"), "DATA_SOURCE_PASS") == "secret:orders-connection/password");
    CHECK(source_of(*side.find("env"), "CA") == "value:/etc/platc/tls/orders/ca.pem");
    // (On AWS the Secret's keys are its template's: the password comes from RDS's own secret.)
    std::set<std::string> keys;
    const YamlNode& es_spec = *objs.at("ExternalSecret/orders-connection").find("spec");
    if (const YamlNode* t = at(es_spec, {"target", "template", "data"}))
      for (const auto& [k, v] : t->entries()) keys.insert(k);
    else
      for (const auto& d : es_spec.find("data")->items()) keys.insert(text(d, {"secretKey"}));
    CHECK(keys.count("password"));
    CHECK((std::string(target) == "aws") == (at(es_spec, {"dataFrom"}) != nullptr));
    CHECK(keys.count("ca_cert"));
    // The CA file it names is mounted in the sidecar.
    bool mounted = false;
    for (const auto& m : side.find("volumeMounts")->items())
      mounted = mounted || text(m, {"mountPath"}) == "/etc/platc/tls/orders";
    CHECK(mounted);
    // The ServiceMonitor's port is a Service port whose target is the sidecar's container port.
    std::string scraped =
        text(objs.at("ServiceMonitor/api").find("spec")->find("endpoints")->items().front(), {"port"});
    CHECK(scraped == "exporter");
    const YamlNode& sport = find_by_name(*at(objs.at("Service/api"), {"spec", "ports"}), scraped);
    CHECK(text(sport, {"targetPort"}) == text(side.find("ports")->items().front(), {"name"}));
    for (const auto& p : main.find("ports")->items()) CHECK(p.find("containerPort")->i() != 9187);
    // Prometheus may reach 9187; web, a caller, only the API's own port.
    auto in = allowed(objs.at("NetworkPolicy/api"), "ingress", "from");
    CHECK(in.count({"pod:web", 8080}));
    CHECK_FALSE(in.count({"pod:web", 9187}));
    CHECK(in.count({"pod:prometheus", 9187}));
  }
}
