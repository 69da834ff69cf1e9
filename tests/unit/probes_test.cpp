// What the probes mean in the generated objects, on every target: each probe points at a
// containerPort of its pod, gRPC probes by number (Kubernetes takes no port name there).
#include <doctest/doctest.h>

#include <fstream>
#include <map>
#include <string>

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
}

service api {
  image    = "ghcr.io/shop/api:1.0.0"
  ports    = { grpc = 9090, metrics = 9102 }
  protocol = grpc
  health {
    liveness  = true
    readiness = true
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
}

worker mailer {
  image = "ghcr.io/shop/mailer:1.0.0"
  port  = 2525
  health {
    probe    = tcp
    liveness = true
  }
}
)";

}  // namespace

TEST_CASE("probes: every probe points at a containerPort of its pod, gRPC ones by number") {
  auto model = testing::compile_text(kPlatform);
  std::size_t checked = 0;
  for (const auto& g : model.graphs) {
    CAPTURE(g.target);
    for (const auto& [key, o] : testing::objects(g)) {
      if (!key.starts_with("Deployment/")) continue;
      CAPTURE(key);
      auto cports = container_ports(o);
      const YamlNode& c = at(o, {"spec", "template", "spec", "containers"})->items()[0];
      for (const char* probe : {"startupProbe", "livenessProbe", "readinessProbe"}) {
        const YamlNode* p = c.find(probe);
        if (!p) continue;
        ++checked;
        const YamlNode* port = nullptr;
        if (const YamlNode* grpc = p->find("grpc")) {
          port = grpc->find("port");
          REQUIRE(port);
          REQUIRE(port->kind() == YamlNode::Kind::Int);  // Kubernetes takes no name here
        } else {
          const YamlNode* action = p->find("httpGet") ? p->find("httpGet") : p->find("tcpSocket");
          REQUIRE(action);
          port = action->find("port");
          REQUIRE(port);
        }
        bool found = false;
        for (const auto& [name, number] : cports)
          found |= port->kind() == YamlNode::Kind::Int ? number == port->i() : name == port->text();
        CHECK_MESSAGE(found, probe, " of ", key, " points at no containerPort");
      }
    }
  }
  // api: liveness + readiness, web: startup + readiness, mailer: liveness; on three targets.
  CHECK(checked == 15);
}
