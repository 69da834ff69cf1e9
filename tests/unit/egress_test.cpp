// What the `egress` blocks mean in the generated NetworkPolicies, read from the objects alone:
// which addresses a workload's pods may open connections to on which port. Issue 12's platform
// on every target: the mail worker reaches public addresses on 587 and the partner's range on
// 443 and no private address by its host's rule, the federating web tier any public address on
// 80 and 443 only, the streaming tier nothing outside; and on every example, each rule that is
// not a data store's comes from exactly one egress block, on exactly its ports.
#include <doctest/doctest.h>

#include <filesystem>
#include <set>
#include <string>

#include "backends/contract/names.h"
#include "backends/kubernetes/kubernetes.h"
#include "compiler/driver/load.h"
#include "compiler/sema/sema.h"
#include "compiler/support/cidr.h"
#include "tests/unit/examples.h"
#include "tests/unit/objects.h"

using namespace platc;
using emit::YamlNode;
using testing::at;
using testing::text;

namespace {

// The workloads' NetworkPolicies of one graph, by name.
std::map<std::string, YamlNode> policies(const graph::Graph& g) {
  std::map<std::string, YamlNode> out;
  for (const auto& f : kubernetes::generate(g, {}))
    for (const auto& d : f.docs)
      if (text(d, {"kind"}) == "NetworkPolicy") out[text(d, {"metadata", "name"})] = d;
  return out;
}

// Whether the policy lets its pods open a TCP connection to `ip` on `port`, as a NetworkPolicy
// implementation decides: some rule lists the port (or none) and has an ipBlock holding the
// address and no `except` holding it.
bool allows(const YamlNode& policy, const std::string& ip, std::int64_t port) {
  const YamlNode* rules = at(policy, {"spec", "egress"});
  if (!rules) return false;
  for (const auto& rule : rules->items()) {
    bool port_ok = !rule.find("ports");
    if (const YamlNode* ps = rule.find("ports"))
      for (const auto& p : ps->items()) port_ok |= text(p, {"protocol"}) == "TCP" && p.find("port")->i() == port;
    if (!port_ok || !rule.find("to")) continue;
    for (const auto& peer : rule.find("to")->items()) {
      const YamlNode* block = peer.find("ipBlock");
      if (!block || !cidr_contains(text(*block, {"cidr"}), ip + "/32")) continue;
      bool excepted = false;
      if (const YamlNode* ex = block->find("except"))
        for (const auto& e : ex->items()) excepted |= cidr_contains(e.text(), ip + "/32");
      if (!excepted) return true;
    }
  }
  return false;
}

// Stand-ins: a public address (as smtp.sendgrid.net or a followed server would resolve to), an
// address of the partner's range, and the private and link-local addresses no host's rule opens.
constexpr const char* kPublic = "198.51.100.25";
constexpr const char* kPartner = "203.0.113.80";
const char* const kInside[] = {"10.0.3.4", "10.200.0.1", "172.20.0.5", "192.168.1.1", "100.64.1.1", "169.254.169.254"};

}  // namespace

TEST_CASE("egress: who may connect where, on issue 12's platform on every target") {
  auto model =
      testing::compile_path(std::filesystem::path(PLATC_SOURCE_DIR) / "tests/golden/kubernetes/federated_aws.plat");
  std::set<std::string> targets;
  for (const auto& g : model.graphs) {
    CAPTURE(g.target);
    targets.insert(g.target);
    auto pol = policies(g);
    const YamlNode& mail = pol.at("sidekiq");
    const YamlNode& web = pol.at("web");
    const YamlNode& streaming = pol.at("streaming");

    // The mail worker: submission to a public relay, the partner's API, nothing else outside.
    CHECK(allows(mail, kPublic, 587));
    CHECK(!allows(mail, kPublic, 25));
    CHECK(allows(mail, kPartner, 443));
    CHECK(!allows(mail, kPartner, 80));
    for (const char* ip : kInside) CHECK_MESSAGE(!allows(mail, ip, 587), ip);
    CHECK(text(mail, {"metadata", "annotations", "platc.dev/egress-hosts"}) == "mail=smtp.sendgrid.net:587");

    // The federating web tier: any public server on HTTP and HTTPS, no other port, nothing inside
    // on HTTP (the metadata server is reachable on GKE only through the bucket's Workload
    // Identity rule, on its own ports).
    CHECK(allows(web, kPublic, 80));
    CHECK(allows(web, kPublic, 443));
    CHECK(!allows(web, kPublic, 587));
    CHECK(!allows(web, kPartner, 22));
    for (const char* ip : kInside)
      if (std::string(ip) != "169.254.169.254" || g.target != "gcp") CHECK_MESSAGE(!allows(web, ip, 80), ip);
    CHECK(text(web, {"metadata", "annotations", "platc.dev/egress-hosts"}) == "federation=*:80,443");

    // The streaming tier wrote no egress: only its data stores, inside the platform's network.
    for (std::int64_t port : {80, 443, 587}) CHECK(!allows(streaming, kPublic, port));
    CHECK(!at(streaming, {"metadata", "annotations"}));
  }
  CHECK(targets == std::set<std::string>{"aws", "gcp", "azure"});
}

TEST_CASE("egress: every rule out of the platform comes from one egress block, on its ports") {
  std::vector<sema::Model> models;
  for (auto& ex : testing::compile_examples()) models.push_back(std::move(ex.model));
  models.push_back(
      testing::compile_path(std::filesystem::path(PLATC_SOURCE_DIR) / "tests/golden/kubernetes/federated_aws.plat"));
  models.push_back(testing::compile_path(std::filesystem::path(PLATC_SOURCE_DIR) / "tests/golden/sema/ok_egress.plat"));
  std::size_t blocks = 0;
  for (const auto& model : models)
    for (const auto& g : model.graphs) {
      CAPTURE(g.platform);
      CAPTURE(g.environment);
      CAPTURE(g.target);
      auto pol = policies(g);
      std::string network = "10.0.0.0/16";
      if (const graph::Node* platform = g.find(g.platform))
        if (const graph::Value* c = platform->value("network.cidr")) network = c->plain();
      for (const auto& n : g.nodes) {
        if (!n.has_trait("workload")) continue;
        CAPTURE(n.id);
        // What the blocks ask for: (peer, port), the public internet as "public".
        std::set<std::pair<std::string, std::int64_t>> want, got;
        for (const auto& b : n.blocks) {
          if (!b.starts_with("egress.")) continue;
          ++blocks;
          const graph::Value* any = n.value(b + ".any_host");
          bool public_rule = (any && any->b) || n.value(b + ".hosts");
          for (const auto& port : n.value(b + ".ports")->items) {
            if (public_rule) want.insert({"public", port.i});
            if (const graph::Value* cidrs = n.value(b + ".cidrs"))
              for (const auto& c : cidrs->items) want.insert({c.plain(), port.i});
          }
        }
        // What the policy admits beyond the data stores: ranges that are not the platform's
        // network, the cloud APIs' 0.0.0.0/0 or the metadata server, and the public rule.
        const YamlNode& p = pol.at(contract::object_name(n.id));
        if (const YamlNode* rules = at(p, {"spec", "egress"}))
          for (const auto& rule : rules->items())
            for (const auto& peer : rule.find("to")->items()) {
              const YamlNode* block = peer.find("ipBlock");
              if (!block) continue;
              std::string cidr = text(*block, {"cidr"});
              if (block->find("except")) {
                // Every private, shared and link-local range stays out of it.
                for (const char* ip : kInside) {
                  bool kept_out = false;
                  for (const auto& e : block->find("except")->items())
                    kept_out |= cidr_contains(e.text(), std::string(ip) + "/32");
                  CHECK_MESSAGE(kept_out, ip);
                }
                cidr = "public";
              } else if (cidr == network || cidr == "0.0.0.0/0" || cidr == "169.254.169.254/32") {
                continue;  // the data stores, the cloud APIs, the metadata server (network_test.cpp)
              }
              for (const auto& port : rule.find("ports")->items()) got.insert({cidr, port.find("port")->i()});
            }
        CHECK(got == want);
      }
    }
  CHECK(blocks >= 5);
}
