// What each target's Ingress controller is told, for every example and environment, on each of the
// three targets: the objects must carry what that controller's documented contract requires to
// serve the host, and the backend they name must exist and be reachable by the load balancer.
// Valid YAML is not enough: GKE ignores an Ingress with only `ingressClassName`, the AWS Load
// Balancer Controller cannot route to a ClusterIP Service in instance mode, and a load balancer
// the NetworkPolicy does not admit serves 502s.
#include <doctest/doctest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "backends/contract/target.h"
#include "backends/kubernetes/kubernetes.h"
#include "tests/unit/examples.h"
#include "tests/unit/objects.h"

using namespace platc;
using emit::YamlNode;
using testing::at;
using testing::text;

namespace {

struct Objects {
  std::map<std::string, const YamlNode*> by_key;  // "Kind/name"
  std::vector<const YamlNode*> ingresses;
};

Objects index(const std::vector<kubernetes::File>& files) {
  Objects o;
  for (const auto& f : files)
    for (const auto& d : f.docs) {
      std::string kind = text(d, {"kind"});
      o.by_key[kind + "/" + text(d, {"metadata", "name"})] = &d;
      if (kind == "Ingress") o.ingresses.push_back(&d);
    }
  return o;
}

// The container port a Service port (by name) leads to, through its targetPort's name.
std::int64_t container_port(const Objects& objs, const YamlNode& service, const std::string& port_name) {
  std::string target;
  if (const YamlNode* ps = at(service, {"spec", "ports"}))
    for (const auto& p : ps->items())
      if (text(p, {"name"}) == port_name) target = text(p, {"targetPort"});
  std::string workload = text(service, {"spec", "selector", "app.kubernetes.io/name"});
  for (const char* kind : {"Deployment/", "StatefulSet/"}) {
    auto it = objs.by_key.find(kind + workload);
    if (it == objs.by_key.end()) continue;
    for (const auto& c : at(*it->second, {"spec", "template", "spec", "containers"})->items())
      if (const YamlNode* ps = c.find("ports"))
        for (const auto& p : ps->items())
          if (text(p, {"name"}) == target) return p.find("containerPort")->i();
  }
  return 0;
}

// Whether the workload's NetworkPolicy admits `cidr` on `port`.
bool admits(const Objects& objs, const std::string& workload, const std::string& cidr, std::int64_t port) {
  auto it = objs.by_key.find("NetworkPolicy/" + workload);
  if (it == objs.by_key.end()) return false;
  const YamlNode* rules = at(*it->second, {"spec", "ingress"});
  if (!rules) return false;
  for (const auto& r : rules->items()) {
    bool port_ok = false, peer_ok = false;
    if (const YamlNode* ps = r.find("ports"))
      for (const auto& p : ps->items()) port_ok |= p.find("port")->i() == port;
    if (const YamlNode* from = r.find("from"))
      for (const auto& peer : from->items()) peer_ok |= text(peer, {"ipBlock", "cidr"}) == cidr;
    if (port_ok && peer_ok) return true;
  }
  return false;
}

// The platform's network (`platform.network.cidr`, else the default of the kind schema).
std::string network_cidr(const graph::Graph& g) {
  for (const auto& n : g.nodes)
    if (n.kind == "platform")
      if (const graph::Value* v = n.value("network.cidr"); v && v->kind == graph::ValueKind::String) return v->plain();
  return "10.0.0.0/16";
}

}  // namespace

TEST_CASE("ingress: each target's controller gets what its documented contract requires") {
  std::map<std::string, int> checked;
  for (const auto& ex : testing::compile_examples()) {
    for (const auto& built : ex.model.graphs) {
      for (const auto* t : contract::clouds()) {
        graph::Graph g = built;
        g.target = std::string(t->name);
        CAPTURE(ex.name);
        CAPTURE(g.environment);
        CAPTURE(g.target);
        const auto files = kubernetes::generate(g, {});
        Objects objs = index(files);
        for (const YamlNode* ing : objs.ingresses) {
          const YamlNode& o = *ing;
          std::string name = text(o, {"metadata", "name"});
          CAPTURE(name);
          const graph::Node* node = g.find(name);
          if (node && node->value("expose.class")) continue;  // another controller: the user's annotations
          bool tls = at(o, {"spec", "tls"}) != nullptr;
          const YamlNode* ann = at(o, {"metadata", "annotations"});
          auto annotation = [&](std::string_view key) {
            const YamlNode* v = ann ? ann->find(key) : nullptr;
            return v ? v->text() : std::string();
          };
          // Every path's backend is a Service of this environment whose port leads to a container port.
          for (const auto& rule : at(o, {"spec", "rules"})->items()) {
            CHECK(!text(rule, {"host"}).empty());
            for (const auto& p : at(rule, {"http", "paths"})->items()) {
              std::string svc = text(p, {"backend", "service", "name"});
              std::string port = text(p, {"backend", "service", "port", "name"});
              auto s = objs.by_key.find("Service/" + svc);
              REQUIRE_MESSAGE(s != objs.by_key.end(), "no Service ", svc);
              std::int64_t cport = container_port(objs, *s->second, port);
              CHECK_MESSAGE(cport > 0, "Service ", svc, " port ", port, " leads to no container port");
              std::string workload = text(*s->second, {"spec", "selector", "app.kubernetes.io/name"});
              switch (t->cloud) {
                case contract::Cloud::Gcp: {
                  // GKE, "Container-native load balancing": a ClusterIP backend needs a NEG, which
                  // GKE creates by itself only in clusters without NetworkPolicy enforcement.
                  const YamlNode* neg = at(*s->second, {"metadata", "annotations", "cloud.google.com/neg"});
                  REQUIRE_MESSAGE(neg, "Service ", svc, " has no cloud.google.com/neg annotation");
                  CHECK(nlohmann::json::parse(neg->text()).value("ingress", false));
                  // GKE, "Health checks" / firewall rules: the front ends and health checkers reach
                  // the pods from 130.211.0.0/22 and 35.191.0.0/16.
                  CHECK(admits(objs, workload, "130.211.0.0/22", cport));
                  CHECK(admits(objs, workload, "35.191.0.0/16", cport));
                  break;
                }
                case contract::Cloud::Aws:
                case contract::Cloud::Azure:
                  // An ALB with IP targets and an Application Gateway send to the pod IPs from their
                  // addresses in the platform's network.
                  CHECK(admits(objs, workload, network_cidr(g), cport));
                  break;
                case contract::Cloud::None:
                  break;
              }
            }
          }
          switch (t->cloud) {
            case contract::Cloud::Aws:
              // AWS Load Balancer Controller, "Ingress annotations": the IngressClass `alb`; `scheme`
              // defaults to internal, so a public host needs internet-facing; `target-type` defaults
              // to instance, which needs NodePort Services: ClusterIP backends need `ip`.
              CHECK(text(o, {"spec", "ingressClassName"}) == "alb");
              CHECK(annotation("alb.ingress.kubernetes.io/scheme") == "internet-facing");
              CHECK(annotation("alb.ingress.kubernetes.io/target-type") == "ip");
              if (tls) {
                // "Certificate discovery": the ACM certificate is found from spec.tls hosts; the
                // HTTPS listener must be declared and HTTP redirected to it.
                CHECK(annotation("alb.ingress.kubernetes.io/listen-ports").find(R"({"HTTPS":443})") !=
                      std::string::npos);
                CHECK(annotation("alb.ingress.kubernetes.io/ssl-redirect") == "443");
                CHECK(!at(o, {"spec", "tls"})->items().front().find("hosts")->items().empty());
              }
              break;
            case contract::Cloud::Gcp: {
              // GKE Ingress, "GKE Ingress controller behavior": the controller acts on the
              // `kubernetes.io/ingress.class: gce` annotation; an Ingress with ingressClassName and
              // no annotation is left alone.
              CHECK(annotation("kubernetes.io/ingress.class") == "gce");
              CHECK(at(o, {"spec", "ingressClassName"}) == nullptr);
              if (tls) {
                CHECK(!annotation("ingress.gcp.kubernetes.io/pre-shared-cert").empty());
                // "FrontendConfig parameters": redirectToHttps on a FrontendConfig the Ingress names.
                std::string fc = annotation("networking.gke.io/v1beta1.FrontendConfig");
                auto f = objs.by_key.find("FrontendConfig/" + fc);
                REQUIRE_MESSAGE(f != objs.by_key.end(), "no FrontendConfig ", fc);
                const YamlNode* on = at(*f->second, {"spec", "redirectToHttps", "enabled"});
                CHECK((on && on->b()));
              }
              break;
            }
            case contract::Cloud::Azure:
              // Application Gateway Ingress Controller, "Annotations": the class
              // azure-application-gateway; the listener's certificate by name and ssl-redirect.
              CHECK(text(o, {"spec", "ingressClassName"}) == "azure-application-gateway");
              if (tls) {
                CHECK(!annotation("appgw.ingress.kubernetes.io/appgw-ssl-certificate").empty());
                CHECK(annotation("appgw.ingress.kubernetes.io/ssl-redirect") == "true");
              }
              break;
            case contract::Cloud::None:
              break;
          }
          ++checked[std::string(t->name)];
        }
      }
    }
  }
  // The examples expose services on every target: the checks above ran.
  CHECK(checked["aws"] > 0);
  CHECK(checked["gcp"] > 0);
  CHECK(checked["azure"] > 0);
}
