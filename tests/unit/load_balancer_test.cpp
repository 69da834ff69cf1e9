// What a `load_balancer` means in the generated objects, on every target: the LoadBalancer
// Service forwards to a port of the selected pods, and the NetworkPolicy admits exactly the source
// ranges (and, where the target's load balancer health-checks the pods from the network, the
// network) on that one port, as the cloud's firewall does.
#include <doctest/doctest.h>

#include <fstream>
#include <map>
#include <set>
#include <string>

#include "backends/contract/target.h"
#include "backends/kubernetes/kubernetes.h"
#include "compiler/driver/load.h"
#include "compiler/sema/sema.h"
#include "tests/unit/objects.h"

using namespace platc;
using emit::YamlNode;
using testing::at;
using testing::text;

namespace {

// The container ports of a Deployment's pods: name -> number.
std::map<std::string, std::int64_t> container_ports(const YamlNode& deployment) {
  std::map<std::string, std::int64_t> out;
  const YamlNode* cs = at(deployment, {"spec", "template", "spec", "containers"});
  REQUIRE(cs);
  for (const auto& c : cs->items())
    if (const YamlNode* ps = c.find("ports"))
      for (const auto& p : ps->items()) out[text(p, {"name"})] = p.find("containerPort")->i();
  return out;
}

const char* kPlatform = R"(platform shop {
  owner   = "team"
  targets = [aws, gcp, azure]
  region  = "eu-west-1"
  network {
    cidr = "10.20.0.0/16"
  }
}

service api {
  image        = "ghcr.io/shop/api:1.0.0"
  ports        = { grpc = 9090, metrics = 9102 }
  protocol     = grpc
  health {
    liveness  = true
    readiness = true
  }
  load_balancer {
    source_ranges = ["203.0.113.0/24", "198.51.100.7/32"]
  }
}

service web {
  image = "ghcr.io/shop/web:1.0.0"
  port  = 8080
  health {
    startup   = "/started"
    readiness = "/ready"
    port      = 8080
  }
  load_balancer {
    scope = internal
  }
}
)";

}  // namespace

TEST_CASE("load balancer: the NetworkPolicy admits exactly the source ranges on the forwarded port") {
  auto model = testing::compile_text(kPlatform);
  std::set<std::string> targets;
  for (const auto& g : model.graphs) {
    CAPTURE(g.target);
    targets.insert(g.target);
    const auto& t = contract::target(g.target);
    auto objs = testing::objects(g);
    struct Want {
      std::string workload;
      std::set<std::string> sources;
    };
    std::set<std::string> api = {"203.0.113.0/24", "198.51.100.7/32"}, web = {"10.20.0.0/16"};
    if (t.load_balancer_checks_from_network) api.insert("10.20.0.0/16");
    for (const auto& [name, sources] : {Want{"api", api}, Want{"web", web}}) {
      CAPTURE(name);
      REQUIRE(objs.count("Service/" + name + "-lb"));
      const YamlNode& svc = objs["Service/" + name + "-lb"];
      CHECK(text(svc, {"spec", "type"}) == "LoadBalancer");
      CHECK(text(svc, {"spec", "externalTrafficPolicy"}) == "Local");
      CHECK(text(svc, {"spec", "selector", "app.kubernetes.io/name"}) == name);
      // One port, whose target is a containerPort of the selected pods.
      const YamlNode* ports = at(svc, {"spec", "ports"});
      REQUIRE(ports);
      REQUIRE(ports->items().size() == 1);
      auto cports = container_ports(objs["Deployment/" + name]);
      std::string target_port = text(ports->items()[0], {"targetPort"});
      REQUIRE(cports.count(target_port));
      std::int64_t pod_port = cports[target_port];
      // The NetworkPolicy: which CIDRs are admitted on which ports.
      std::map<std::int64_t, std::set<std::string>> cidrs;
      const YamlNode* rules = at(objs["NetworkPolicy/" + name], {"spec", "ingress"});
      REQUIRE(rules);
      for (const auto& r : rules->items()) {
        const YamlNode* from = r.find("from");
        if (!from) continue;
        for (const auto& peer : from->items())
          if (const YamlNode* c = at(peer, {"ipBlock", "cidr"}))
            for (const auto& p : r.find("ports")->items()) cidrs[p.find("port")->i()].insert(c->text());
      }
      CHECK(cidrs[pod_port] == sources);
      for (const auto& [port, who] : cidrs)
        CHECK_MESSAGE(port == pod_port, name, " admits ", *who.begin(), " on ", port);
      // The cloud's firewall gets the same ranges as the NetworkPolicy, when they are written.
      if (name == "api") {
        std::set<std::string> fw;
        for (const auto& r : at(svc, {"spec", "loadBalancerSourceRanges"})->items()) fw.insert(r.text());
        CHECK(fw == std::set<std::string>{"203.0.113.0/24", "198.51.100.7/32"});
      } else {
        CHECK(at(svc, {"spec", "loadBalancerSourceRanges"}) == nullptr);
      }
    }
  }
  CHECK(targets == std::set<std::string>{"aws", "gcp", "azure"});
}
