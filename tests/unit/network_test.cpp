// What the Kubernetes output means for traffic, for every example, environment and target, read
// from the generated objects alone and compared with the graph: every connection a workload needs
// is allowed by the NetworkPolicies of both ends on the port it uses, no workload is admitted that
// has no edge to the other, and every in-cluster address a workload is given names a Service port
// whose target is a port of the selected pods.
#include <doctest/doctest.h>

#include <map>
#include <set>
#include <string>
#include <tuple>

#include "backends/contract/names.h"
#include "backends/contract/target.h"
#include "backends/kubernetes/kubernetes.h"
#include "tests/unit/examples.h"
#include "tests/unit/objects.h"

using namespace platc;
using emit::YamlNode;
using testing::at;
using testing::text;

namespace {

// A rule's peers and ports, as (workload or cidr, port) pairs.
using Allowed = std::set<std::pair<std::string, std::int64_t>>;

void collect(const YamlNode& rules, const char* peers_key, Allowed& out) {
  for (const auto& rule : rules.items()) {
    std::vector<std::int64_t> ports;
    if (const YamlNode* ps = rule.find("ports"))
      for (const auto& p : ps->items()) ports.push_back(p.find("port")->i());
    const YamlNode* peers = rule.find(peers_key);
    if (!peers) continue;
    for (const auto& peer : peers->items()) {
      std::string who;
      if (const YamlNode* name = at(peer, {"podSelector", "matchLabels", "app.kubernetes.io/name"});
          name && !peer.find("namespaceSelector"))
        who = "pod:" + name->text();
      else if (const YamlNode* cidr = at(peer, {"ipBlock", "cidr"}))
        who = "cidr:" + cidr->text();
      else
        who = "other";
      for (auto p : ports) out.insert({who, p});
    }
  }
}

struct Policies {
  std::map<std::string, Allowed> in, out;  // workload -> who may reach it / whom it may reach
};

}  // namespace

TEST_CASE("network: the NetworkPolicies allow exactly the traffic of the graph's edges") {
  std::size_t checked = 0;
  for (const auto& ex : testing::compile_examples()) {
    for (const auto& g : ex.model.graphs) {
      CAPTURE(ex.name);
      CAPTURE(g.environment);
      CAPTURE(g.target);
      const auto files = kubernetes::generate(g, {});
      Policies pol;
      std::map<std::string, std::vector<std::pair<std::string, std::int64_t>>> ports;  // workload -> container ports
      std::map<std::string, std::map<std::int64_t, std::string>> service_ports;        // Service -> port -> targetPort
      std::map<std::string, std::string> config;                                       // every ConfigMap value
      std::string ns;
      for (const auto& f : files)
        for (const auto& o : f.docs) {
          std::string kind = text(o, {"kind"}), name = text(o, {"metadata", "name"});
          if (kind == "Namespace") ns = name;
          if (kind == "NetworkPolicy" && name != "default-deny" && name != "allow-dns") {
            if (const YamlNode* r = at(o, {"spec", "ingress"})) collect(*r, "from", pol.in[name]);
            if (const YamlNode* r = at(o, {"spec", "egress"})) collect(*r, "to", pol.out[name]);
            pol.in[name];
            pol.out[name];
          }
          if (kind == "Deployment" || kind == "StatefulSet")
            if (const YamlNode* cs = at(o, {"spec", "template", "spec", "containers"}))
              for (const auto& c : cs->items())
                if (const YamlNode* ps = c.find("ports"))
                  for (const auto& p : ps->items())
                    ports[name].push_back({text(p, {"name"}), p.find("containerPort")->i()});
          if (kind == "Service")
            for (const auto& p : at(o, {"spec", "ports"})->items())
              service_ports[name][p.find("port")->i()] = text(p, {"targetPort"});
          if (kind == "ConfigMap" && o.find("data"))
            for (const auto& [k, v] : o.find("data")->entries()) config[name + "/" + k] = v.text();
        }

      // The connections the graph needs: workload -> workload on the callee's ports, workload ->
      // data store on the store's port on this target.
      std::map<std::size_t, std::string> names;
      for (std::size_t k = 0; k < g.nodes.size(); ++k)
        if (g.nodes[k].has_trait("workload")) names[k] = contract::object_name(g.nodes[k].id);
      std::set<std::pair<std::string, std::string>> needed_pods;  // (caller, callee)
      for (const auto& e : g.edges) {
        bool net = e.kind == graph::EdgeKind::Network ||
                   (e.kind == graph::EdgeKind::Dependency && (e.via == "publishes" || e.via == "consumes"));
        if (!net || !names.count(e.from)) continue;
        CHECK(e.from != e.to);  // self-references are values, not traffic
        const std::string& from = names[e.from];
        if (names.count(e.to)) {
          const std::string& to = names[e.to];
          needed_pods.insert({from, to});
          for (const auto& [pname, port] : ports[to]) {
            if (pname == "metrics") continue;
            ++checked;
            CHECK_MESSAGE(pol.out[from].count({"pod:" + to, port}), from, " may not call ", to, " on ", port);
            CHECK_MESSAGE(pol.in[to].count({"pod:" + from, port}), to, " does not admit ", from, " on ", port);
          }
        } else {
          const graph::Node& store = g.nodes[e.to];
          const auto& t = contract::target(g.target);
          std::vector<std::int64_t> store_ports;
          if (store.kind == "database") {
            const graph::Value* engine = store.value("engine");
            store_ports = {contract::database_port(engine ? engine->text : "")};
          } else if (store.kind == "cache") {
            const graph::Value* tls = store.value("tls");
            store_ports = {contract::cache_port(t, !tls || tls->b)};
          } else if (store.kind == "topic") {
            store_ports = t.kafka_ports;
          } else {
            store_ports = {443};  // queues and buckets: the cloud's HTTPS API
          }
          for (auto port : store_ports) {
            ++checked;
            bool allowed = false;
            for (const auto& [who, p] : pol.out[from]) allowed |= p == port && who.starts_with("cidr:");
            CHECK_MESSAGE(allowed, from, " may not reach ", store.kind, " ", store.id, " on ", port);
          }
        }
      }
      // Nothing else between pods: every pod peer of a policy is a needed connection.
      for (const auto& [w, allowed] : pol.in)
        for (const auto& [who, port] : allowed)
          if (who.starts_with("pod:")) CHECK_MESSAGE(needed_pods.count({who.substr(4), w}), w, " admits ", who);
      for (const auto& [w, allowed] : pol.out)
        for (const auto& [who, port] : allowed)
          if (who.starts_with("pod:")) CHECK_MESSAGE(needed_pods.count({w, who.substr(4)}), w, " may call ", who);

      // Every in-cluster address names a Service port whose targetPort is a port of its pods.
      std::string suffix = "." + ns + ".svc.cluster.local";
      for (const auto& [key, value] : config) {
        std::size_t at_host = value.find(suffix);
        if (at_host == std::string::npos) continue;
        std::size_t start = value.find_last_of("/@", at_host);
        std::string svc = value.substr(start == std::string::npos ? 0 : start + 1,
                                       at_host - (start == std::string::npos ? 0 : start + 1));
        CAPTURE(key);
        CAPTURE(value);
        REQUIRE(service_ports.count(svc));
        std::size_t colon = at_host + suffix.size();
        if (colon >= value.size() || value[colon] != ':') continue;  // a bare host
        std::int64_t port = std::stoll(value.substr(colon + 1));
        ++checked;
        REQUIRE(service_ports[svc].count(port));
        std::string target = service_ports[svc][port];
        bool found = false;
        for (const auto& [pname, p] : ports[svc]) found |= pname == target;
        CHECK_MESSAGE(found, "Service ", svc, " port ", port, " targets ", target, ", no container port of that name");
      }
    }
  }
  CHECK(checked > 20);
}

// (d): the port a client is told is the port its NetworkPolicy opens, for every engine, cloud and
// TLS setting, read from the generated objects alone: the app's ConfigMap entry, the `wait_for`
// init container's PORT and the egress rule to the private network agree.
TEST_CASE("network: every data store's port is the one the NetworkPolicy opens, per engine, cloud and TLS") {
  const char* stores = R"(
database pg { engine = postgres 16 }
database my { engine = mysql 8.0 }
cache tls_on { tls = true }
cache tls_off {
  tls  = false
  auth = false
}
)";
  const std::vector<std::string> ids = {"pg", "my", "tls_on", "tls_off"};
  for (const char* target : {"aws", "gcp", "azure"}) {
    CAPTURE(target);
    std::string source = testing::platform_on(target) + stores;
    // One client per store, so each NetworkPolicy names exactly one data-store port.
    for (const auto& id : ids)
      source += "worker client_" + id + " {\n  image = \"ghcr.io/shop/c:1.0.0\"\n  wait_for = [" + id +
                "]\n  env { PORT = " + id + ".port }\n}\n";
    auto model = testing::compile_text(source);
    const auto& g = model.graphs.front();
    auto objs = testing::objects(g);
    for (const auto& id : ids) {
      CAPTURE(id);
      std::string client = "client-" + contract::object_name(id);
      REQUIRE(objs.count("ConfigMap/" + client + "-env"));
      std::int64_t told = std::stoll(text(objs["ConfigMap/" + client + "-env"], {"data", "PORT"}));
      const YamlNode* init = at(objs["Deployment/" + client], {"spec", "template", "spec", "initContainers"});
      REQUIRE(init);
      std::string waited;
      for (const auto& e : init->items().front().find("env")->items())
        if (text(e, {"name"}) == "PORT") waited = text(e, {"value"});
      CHECK(waited == std::to_string(told));
      Allowed egress;
      collect(*at(objs["NetworkPolicy/" + client], {"spec", "egress"}), "to", egress);
      std::set<std::int64_t> private_ports;
      for (const auto& [who, port] : egress)
        if (who == "cidr:10.0.0.0/16") private_ports.insert(port);
      CHECK(private_ports == std::set<std::int64_t>{told});
    }
  }
}
