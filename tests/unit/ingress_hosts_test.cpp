// What the entry points of issue 12's platform mean on every target, read from the generated
// objects alone: each public host is served by exactly one Ingress with one certificate, every
// path of it routes to the Service port of the workload that asked for that path (a port of the
// selected pods), the longest path comes first, and a path that asks for long-lived connections
// gets each controller's documented timeout setting.
#include <doctest/doctest.h>

#include <filesystem>
#include <map>
#include <set>
#include <string>

#include "backends/contract/names.h"
#include "backends/contract/target.h"
#include "backends/kubernetes/kubernetes.h"
#include "compiler/driver/load.h"
#include "compiler/sema/sema.h"
#include "tests/unit/objects.h"

using namespace platc;
using emit::YamlNode;
using testing::at;
using testing::text;

// On issue 12's platform (tests/golden/kubernetes/federated_aws.plat; it names all three targets).
TEST_CASE("ingress hosts: one Ingress per host, one certificate, every path to the right Service port") {
  auto model =
      testing::compile_path(std::filesystem::path(PLATC_SOURCE_DIR) / "tests/golden/kubernetes/federated_aws.plat");
  std::set<std::string> targets;
  for (const auto& g : model.graphs) {
    CAPTURE(g.target);
    targets.insert(g.target);
    const auto& t = contract::target(g.target);
    contract::Deployment d(g);
    auto objs = testing::objects(g);
    const std::string host = "www.social.example.com";
    // Exactly one Ingress, named after the host, serving it.
    std::vector<const YamlNode*> ingresses;
    for (const auto& [key, o] : objs)
      if (key.starts_with("Ingress/")) ingresses.push_back(&o);
    REQUIRE(ingresses.size() == 1);
    const YamlNode& ing = *ingresses.front();
    CHECK(text(ing, {"metadata", "name"}) == host);
    const YamlNode* rules = at(ing, {"spec", "rules"});
    REQUIRE(rules);
    REQUIRE(rules->items().size() == 1);
    CHECK(text(rules->items()[0], {"host"}) == host);
    // One certificate: one TLS entry for the host, and the certificate annotation names the host's.
    const YamlNode* tls = at(ing, {"spec", "tls"});
    REQUIRE(tls);
    REQUIRE(tls->items().size() == 1);
    REQUIRE(at(tls->items()[0], {"hosts"})->items().size() == 1);
    CHECK(at(tls->items()[0], {"hosts"})->items()[0].text() == host);
    for (const char* cert :
         {"ingress.gcp.kubernetes.io/pre-shared-cert", "appgw.ingress.kubernetes.io/appgw-ssl-certificate"})
      if (const YamlNode* c = at(ing, {"metadata", "annotations", cert})) CHECK(c->text() == d.certificate(host));
    // The paths: longest first, each to the Service port of the workload that asked for it, whose
    // targetPort is a port of the selected pods.
    const YamlNode* paths = at(rules->items()[0], {"http", "paths"});
    REQUIRE(paths);
    REQUIRE(paths->items().size() == 2);
    const std::map<std::string, std::pair<std::string, std::int64_t>> want = {
        {"/api/v1/streaming", {"streaming", 4000}}, {"/", {"web", 3000}}};
    CHECK(text(paths->items()[0], {"path"}) == "/api/v1/streaming");
    CHECK(text(paths->items()[1], {"path"}) == "/");
    for (const auto& p : paths->items()) {
      std::string path = text(p, {"path"});
      CAPTURE(path);
      CHECK(text(p, {"pathType"}) == "Prefix");
      auto it = want.find(path);
      REQUIRE(it != want.end());
      const auto& [workload, container_port] = it->second;
      CHECK(text(p, {"backend", "service", "name"}) == workload);
      std::string port = text(p, {"backend", "service", "port", "name"});
      const YamlNode& svc = objs.at("Service/" + workload);
      std::string target_port;
      for (const auto& sp : at(svc, {"spec", "ports"})->items())
        if (text(sp, {"name"}) == port) target_port = text(sp, {"targetPort"});
      REQUIRE(!target_port.empty());
      const YamlNode& dep = objs.at("Deployment/" + workload);
      std::int64_t number = 0;
      for (const auto& cp : at(dep, {"spec", "template", "spec", "containers"})->items()[0].find("ports")->items())
        if (text(cp, {"name"}) == target_port) number = cp.find("containerPort")->i();
      CHECK(number == container_port);
    }
    // No Ingress of a workload's name is left, and GKE's redirect is the host's.
    CHECK(objs.count("Ingress/web") == 0);
    CHECK(objs.count("Ingress/streaming") == 0);
    if (t.https_redirect_frontend_config) {
      CHECK(objs.count("FrontendConfig/" + host) == 1);
      CHECK(text(ing, {"metadata", "annotations", "networking.gke.io/v1beta1.FrontendConfig"}) == host);
    }
    // The streaming path's long-lived connections: each controller's own setting, an hour.
    switch (t.cloud) {
      case contract::Cloud::Aws:
        CHECK(text(ing, {"metadata", "annotations", "alb.ingress.kubernetes.io/load-balancer-attributes"}) ==
              "idle_timeout.timeout_seconds=3600");
        // The two services check readiness on different paths: each on its own Service.
        CHECK(text(objs.at("Service/streaming"),
                   {"metadata", "annotations", "alb.ingress.kubernetes.io/healthcheck-path"}) ==
              "/api/v1/streaming/health");
        CHECK(text(objs.at("Service/web"), {"metadata", "annotations", "alb.ingress.kubernetes.io/healthcheck-path"}) ==
              "/health");
        CHECK(!at(ing, {"metadata", "annotations", "alb.ingress.kubernetes.io/healthcheck-path"}));
        break;
      case contract::Cloud::Gcp: {
        const YamlNode& bc = objs.at("BackendConfig/streaming");
        CHECK(at(bc, {"spec", "timeoutSec"})->i() == 3600);
        CHECK(text(objs.at("Service/streaming"), {"metadata", "annotations", "cloud.google.com/backend-config"}) ==
              R"({"default":"streaming"})");
        CHECK(objs.count("BackendConfig/web") == 0);
        break;
      }
      case contract::Cloud::Azure:
        CHECK(text(ing, {"metadata", "annotations", "appgw.ingress.kubernetes.io/request-timeout"}) == "3600");
        CHECK(!at(ing, {"metadata", "annotations", "appgw.ingress.kubernetes.io/health-probe-path"}));
        break;
      case contract::Cloud::None:
        break;
    }
  }
  CHECK(targets == std::set<std::string>{"aws", "gcp", "azure"});
}
