// The Kubernetes backend (backends/kubernetes/): names that cannot be Kubernetes names are
// refused, never written; collisions after `_` -> `-` are caught; every path stays under
// kubernetes/<environment>/.
#include "backends/kubernetes/kubernetes.h"

#include <doctest/doctest.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "backends/contract/names.h"
#include "compiler/driver/load.h"
#include "compiler/sema/sema.h"
#include "tests/unit/examples.h"
#include "tests/unit/temp_dir.h"

using namespace platc;

namespace {

graph::Value str(const std::string& s) {
  graph::Value v;
  v.kind = graph::ValueKind::String;
  v.pieces.push_back({s, "", ""});
  return v;
}

graph::Node node(const std::string& kind, const std::string& name) {
  graph::Node n;
  n.kind = kind;
  n.name = name;
  n.id = name;
  if (kind == "service") n.traits = {"workload", "taggable", "reachable", "exposable"};
  if (kind == "platform") n.traits = {"taggable"};
  if (kind == "environment") n.traits = {"environment"};
  return n;
}

void set(graph::Node& n, const std::string& path, graph::Value v) {
  graph::Attr a;
  a.value = v;
  a.history.push_back({graph::Origin::Base, "", {}, std::make_shared<const graph::Value>(v), "", ""});
  n.attrs[path] = a;
}

graph::Graph demo(const std::string& service_name) {
  graph::Graph g;
  g.platform = "demo";
  g.environment = "dev";
  g.target = "aws";
  g.nodes.push_back(node("platform", "demo"));
  g.nodes.push_back(node("environment", "dev"));
  graph::Node s = node("service", service_name);
  set(s, "image", str("nginx:1.27"));
  g.nodes.push_back(s);
  return g;
}

// yaml-cpp's reading as JSON: quoted scalars are strings, plain ones resolved like YAML 1.2's core
// schema (what PyYAML's 1.1 resolver must agree with for every scalar the writer leaves plain).
nlohmann::json to_json(const YAML::Node& n) {
  if (n.IsMap()) {
    nlohmann::json j = nlohmann::json::object();
    for (const auto& kv : n) j[kv.first.as<std::string>()] = to_json(kv.second);
    return j;
  }
  if (n.IsSequence()) {
    nlohmann::json j = nlohmann::json::array();
    for (const auto& item : n) j.push_back(to_json(item));
    return j;
  }
  if (n.IsNull()) return nullptr;
  std::string s = n.as<std::string>();
  if (n.Tag() != "?") return s;
  if (s == "true" || s == "false") return s == "true";
  if (s == "null" || s == "~") return nullptr;
  std::size_t k = (s[0] == '-' || s[0] == '+') ? 1 : 0;
  bool digits = k < s.size() && s.find_first_not_of("0123456789", k) == std::string::npos;
  if (digits) return std::stoll(s);
  bool floaty =
      s.find_first_not_of("0123456789.eE+-") == std::string::npos && s.find_first_of("0123456789") != std::string::npos;
  if (floaty) {
    char* end = nullptr;
    double d = std::strtod(s.c_str(), &end);
    if (end == s.c_str() + s.size()) return d;
  }
  return s;
}

bool have_pyyaml() {
  return std::system("python3 -c 'import yaml' >/dev/null 2>&1") == 0;
}

}  // namespace

TEST_CASE("kubernetes: every file of every example reads the same with yaml-cpp and PyYAML") {
  namespace fs = std::filesystem;
  if (!have_pyyaml()) {
    MESSAGE("python3 yaml module not installed: skipped");
    return;
  }
  platc::testing::TempDir tmp("platc-k8s");
  std::ofstream(tmp.path() / "read.py") << R"(import json, sys, yaml
for p in sys.argv[1:]:
    docs = [d for d in yaml.safe_load_all(open(p, encoding="utf-8")) if d is not None]
    open(p + ".py.json", "w").write(json.dumps(docs, sort_keys=True))
)";
  std::string cmd = "python3 " + (tmp.path() / "read.py").string();
  std::vector<fs::path> written;
  std::map<fs::path, nlohmann::json> by_yamlcpp;
  for (const auto& ex : testing::compile_examples()) {
    for (const auto& g : ex.model.graphs) {
      Diagnostics d;
      kubernetes::check(g, d);
      REQUIRE(d.empty());
      for (const auto& f : kubernetes::generate(g, {})) {
        fs::path p = tmp.path() / ex.name / g.target / f.path;
        fs::create_directories(p.parent_path());
        std::ofstream(p, std::ios::binary) << f.content;
        nlohmann::json docs = nlohmann::json::array();
        for (const auto& d : YAML::LoadAll(f.content))
          if (!d.IsNull()) docs.push_back(to_json(d));
        by_yamlcpp[p] = docs;
        written.push_back(p);
        cmd += " " + p.string();
      }
    }
  }
  REQUIRE(written.size() > 20);
  REQUIRE(std::system(cmd.c_str()) == 0);
  for (const auto& p : written) {
    CAPTURE(p.string());
    std::ifstream in(p.string() + ".py.json");
    nlohmann::json py = nlohmann::json::parse(in);
    CHECK(py == by_yamlcpp[p]);
  }
}

TEST_CASE("kubernetes: object names come from the contract") {
  CHECK(contract::object_name("collector_sec") == "collector-sec");
  CHECK(contract::object_name("Api") == "api");
  CHECK(contract::object_name("../etc") == "");
  CHECK(contract::object_name("a/b") == "");
  CHECK(contract::object_name("-a") == "");
  CHECK(contract::object_name("") == "");
  CHECK(contract::object_name(std::string(64, 'a')) == "");
}

TEST_CASE("kubernetes: a plain service gives files under kubernetes/<env>/ only") {
  Diagnostics d;
  kubernetes::check(demo("api"), d);
  CHECK(d.empty());
  auto files = kubernetes::generate(demo("api"), {});
  REQUIRE(!files.empty());
  for (const auto& f : files) {
    CHECK(f.path.starts_with("kubernetes/dev/"));
    CHECK(f.path.find("..") == std::string::npos);
    CHECK(f.content.starts_with("# generated by platc from "));
  }
}

TEST_CASE("kubernetes: hostile names are reported by the check step and never written") {
  const std::string long_name(60, 'a');
  for (const std::string& bad : {std::string("../../etc/passwd"), std::string("a/b"), std::string("x\ny"), long_name}) {
    CAPTURE(bad);
    Diagnostics d;
    kubernetes::check(demo(bad), d);
    REQUIRE(d.items().size() == 1);
    CHECK(d.items()[0].code() == "E0431");
    // Generating anyway (a caller that skipped the check) leaves the workload out: no file
    // under a name that is not a Kubernetes name.
    for (const auto& f : kubernetes::generate(demo(bad), {})) {
      CHECK(f.path.starts_with("kubernetes/dev/"));
      CHECK(f.path.find("..") == std::string::npos);
      CHECK(f.path.find('\n') == std::string::npos);
      CHECK(std::count(f.path.begin(), f.path.end(), '/') == 2);
    }
  }
}

TEST_CASE("kubernetes: two names that become the same Kubernetes name are reported") {
  auto g = demo("a_b");
  graph::Node s = node("service", "a-b");
  set(s, "image", str("nginx:1.27"));
  g.nodes.push_back(s);
  Diagnostics d;
  kubernetes::check(g, d);
  REQUIRE(d.items().size() == 1);
  CHECK(d.items()[0].code() == "E0432");
}

TEST_CASE("kubernetes: port names Kubernetes rejects are reported at their key") {
  auto g = demo("api");
  graph::Value ports;
  ports.kind = graph::ValueKind::Map;
  graph::Value p;
  p.kind = graph::ValueKind::Int;
  p.i = 9000;
  ports.entries = {{"admin", p}, {"Admin_Port", p}};
  ports.key_ranges = {SourceRange{0, 3, 5, 3, 10}, SourceRange{0, 3, 20, 3, 30}};
  set(g.nodes.back(), "ports", ports);
  Diagnostics d;
  kubernetes::check(g, d);
  REQUIRE(d.items().size() == 1);
  CHECK(d.items()[0].code() == "E0430");
  CHECK(d.items()[0].primary.col == 20);
}

namespace {

// The pod templates (as YAML text) of every workload of a one-environment platform, by name.
std::map<std::string, std::string> pod_templates(const std::string& source) {
  platc::testing::TempDir tmp("platc-rollout");
  std::ofstream(tmp.path() / "main.plat") << source;
  SourceManager sm;
  auto loaded = driver::load_platform(sm, {tmp.path().string()});
  REQUIRE(!loaded.diags.has_errors());
  auto sema = sema::analyze(loaded.platform, sm);
  REQUIRE(!sema.diags.has_errors());
  REQUIRE(!sema.model.graphs.empty());
  std::map<std::string, std::string> out;
  for (const auto& f : kubernetes::generate(sema.model.graphs.front(), {}))
    for (const auto& d : f.docs) {
      const emit::YamlNode* kind = d.find("kind");
      if (!kind || kind->text() != "Deployment") continue;
      out[d.find("metadata")->find("name")->text()] = emit::to_yaml(*d.find("spec")->find("template"));
    }
  return out;
}

std::string rollout_platform(const std::string& api_level) {
  return R"(platform shop {
  owner   = "team"
  targets = [aws]
  region  = "eu-west-1"
}

service api {
  image = "ghcr.io/shop/api:1.0.0"
  port  = 8080
  env {
    LOG_LEVEL = ")" +
         api_level + R"("
  }
}

service web {
  image = "ghcr.io/shop/web:1.0.0"
  port  = 8080
  env {
    LOG_LEVEL = "info"
  }
}
)";
}

}  // namespace

TEST_CASE("kubernetes: changing one env value changes that workload's pod template and only its") {
  auto before = pod_templates(rollout_platform("info"));
  auto after = pod_templates(rollout_platform("debug"));
  REQUIRE(before.size() == 2);
  REQUIRE(after.size() == 2);
  // `kubectl apply` rolls a Deployment only when its pod template changes.
  CHECK(before["api"] != after["api"]);
  CHECK(before["api"].find("platc.dev/config-checksum") != std::string::npos);
  CHECK(before["web"] == after["web"]);
  // The same configuration gives the same template: nothing rolls without a change.
  CHECK(pod_templates(rollout_platform("info")) == before);
}
