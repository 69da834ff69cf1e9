// Issue 13, defect 10: a waiver accepts a plaintext secret in the repository; it must not spread
// the value. On tests/golden/build/waived_secrets.platdir (env values, a value with a deploy-time
// part, a `config` group's value, a command-line argument, a sidecar's env, a pre-deploy job's
// command), the generated objects are resolved as Kubernetes resolves a container's environment
// (ConfigMap and Secret keys, `$(VAR)` expansion of the variables defined before): each container
// still sees exactly the values written, while no generated file but the Secrets holds them, and
// the Secrets hold them only in base64.
#include <doctest/doctest.h>

#include <map>
#include <string>
#include <vector>

#include "backends/emit/base64.h"
#include "backends/helm/helm.h"
#include "compiler/graph/render.h"
#include "tests/unit/objects.h"

namespace platc {
namespace {

using emit::YamlNode;
using testing::at;
using testing::text;
using Objects = std::map<std::string, YamlNode>;

const char* const kSecrets[] = {"correct-horse-battery", "s3cret-Pw", "hunter2-Xq9", "exporter-pass-42",
                                "legacy-token-value-7Hq2"};

std::string decode_base64(const std::string& s) {
  static const std::string kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  unsigned bits = 0;
  int count = 0;
  for (char c : s) {
    if (c == '=') break;
    auto v = kAlphabet.find(c);
    REQUIRE(v != std::string::npos);
    bits = (bits << 6) | static_cast<unsigned>(v);
    count += 6;
    if (count >= 8) {
      count -= 8;
      out += static_cast<char>((bits >> count) & 0xFF);
    }
  }
  return out;
}

// What one container sees once Kubernetes has resolved its `env`, `command` and `args`. A key of a
// Secret that no generated object holds (a connection Secret, made by Terraform) reads as
// `<secret/key>`.
struct Seen {
  std::map<std::string, std::string> env;
  std::vector<std::string> command, args;
};

std::string expand(const std::string& v, const std::map<std::string, std::string>& env) {
  std::string out;
  for (std::size_t k = 0; k < v.size(); ++k) {
    if (v.compare(k, 3, "$$(") == 0) {
      out += "$(";
      k += 2;
      continue;
    }
    if (v.compare(k, 2, "$(") == 0)
      if (auto end = v.find(')', k); end != std::string::npos)
        if (auto it = env.find(v.substr(k + 2, end - k - 2)); it != env.end()) {
          out += it->second;
          k = end;
          continue;
        }
    out += v[k];
  }
  return out;
}

Seen resolve(const Objects& objs, const YamlNode& container) {
  Seen s;
  if (const YamlNode* env = container.find("env"))
    for (const auto& e : env->items()) {
      std::string name = text(e, {"name"});
      if (const YamlNode* v = e.find("value")) {
        s.env[name] = expand(v->text(), s.env);
      } else if (const YamlNode* r = at(e, {"valueFrom", "secretKeyRef"})) {
        std::string secret = text(*r, {"name"}), key = text(*r, {"key"});
        auto it = objs.find("Secret/" + secret);
        s.env[name] =
            it == objs.end() ? "<" + secret + "/" + key + ">" : decode_base64(text(it->second, {"data", key}));
      } else if (const YamlNode* c = at(e, {"valueFrom", "configMapKeyRef"})) {
        auto it = objs.find("ConfigMap/" + text(*c, {"name"}));
        REQUIRE(it != objs.end());
        s.env[name] = text(it->second, {"data", text(*c, {"key"})});
      }
    }
  for (auto [list, out] : {std::pair{"command", &s.command}, std::pair{"args", &s.args}})
    if (const YamlNode* l = container.find(list))
      for (const auto& item : l->items()) out->push_back(expand(item.text(), s.env));
  return s;
}

const YamlNode& container(const Objects& objs, const std::string& object, std::size_t k,
                          std::initializer_list<std::string_view> pod) {
  auto it = objs.find(object);
  REQUIRE(it != objs.end());
  const YamlNode* cs = at(it->second, pod);
  REQUIRE(cs);
  REQUIRE(cs->items().size() > k);
  return cs->items()[k];
}

TEST_CASE("waived secrets reach their containers unchanged, through a Secret only") {
  // As testing::compile_path, keeping the sources for the graph JSON's locations.
  SourceManager sources;
  auto loaded = driver::load_platform(sources, {PLATC_SOURCE_DIR "/tests/golden/build/waived_secrets.platdir"});
  REQUIRE(!loaded.diags.has_errors());
  auto analyzed = sema::analyze(loaded.platform, sources);
  REQUIRE(!analyzed.diags.has_errors());
  sema::Model& model = analyzed.model;
  policy::mark_secrets(model);
  std::vector<helm::Environment> envs;
  for (const auto& g : model.graphs) {
    CAPTURE(g.environment);
    Objects objs = testing::objects(g);

    // What each container sees: exactly the values written.
    Seen api = resolve(objs, container(objs, "Deployment/api", 0, {"spec", "template", "spec", "containers"}));
    CHECK(api.env["API_PASSWORD"] == "correct-horse-battery");
    CHECK(api.env["LEGACY_TOKEN"] == "legacy-token-value-7Hq2");
    CHECK(api.env["LOG_LEVEL"] == "info");
    CHECK(api.env["LOG_FORMAT"] == "json");
    CHECK(api.env["DATABASE_URL"] == "postgres://app:s3cret-Pw@<main-connection/host>:5432/app?sslmode=require");
    CHECK(api.args == std::vector<std::string>{"serve", "--db-password=hunter2-Xq9", "--port", "8080"});
    Seen exporter = resolve(objs, container(objs, "Deployment/api", 1, {"spec", "template", "spec", "containers"}));
    CHECK(exporter.env["EXPORTER_PASSWORD"] == "exporter-pass-42");
    Seen migrate = resolve(objs, container(objs, "Job/migrate", 0, {"spec", "template", "spec", "containers"}));
    CHECK(migrate.command == std::vector<std::string>{"sh", "-c", "migrate --url postgres://app:s3cret-Pw@db/app up"});

    // The values that are not secrets stay in the ConfigMap, the secrets are not in it.
    CHECK(text(objs.at("ConfigMap/api-env"), {"data", "LOG_LEVEL"}) == "info");
    CHECK(at(objs.at("ConfigMap/api-env"), {"data", "API_PASSWORD"}) == nullptr);

    // A pre-deploy job's Secret exists before the job runs: a hook of the same weight as its ConfigMap.
    CHECK(text(objs.at("Secret/migrate-env-secret"), {"metadata", "annotations", "helm.sh/hook"}) ==
          text(objs.at("ServiceAccount/migrate"), {"metadata", "annotations", "helm.sh/hook"}));
    CHECK(text(objs.at("Secret/migrate-env-secret"), {"metadata", "annotations", "helm.sh/hook-weight"}) == "-10");

    // No generated file holds a secret in plain text; only the Secrets hold one in base64.
    std::vector<kubernetes::File> files = kubernetes::generate(g, {});
    for (const auto& f : files) {
      std::string yaml = emit::to_yaml_stream(f.docs, "");
      for (const char* secret : kSecrets) {
        CAPTURE(f.path);
        CAPTURE(secret);
        CHECK(yaml.find(secret) == std::string::npos);
      }
    }
    std::string graph = graph::to_json(g, sources, loaded.platform.root).dump();
    for (const char* secret : kSecrets) CHECK(graph.find(secret) == std::string::npos);
    envs.push_back({g.environment, g.target, std::move(files)});
  }

  // The chart: its values files hold neither the secrets nor their base64; its template does.
  Diagnostics diags;
  auto chart = helm::generate(envs, {"vault", "", ""}, diags);
  CHECK(!diags.has_errors());
  bool template_found = false;
  for (const auto& f : chart) {
    CAPTURE(f.path);
    for (const char* secret : kSecrets) {
      CHECK(f.content.find(secret) == std::string::npos);
      if (f.path.find("values") != std::string::npos) CHECK(f.content.find(emit::base64(secret)) == std::string::npos);
    }
    if (f.path.ends_with("templates/env-secrets.yaml")) {
      template_found = true;
      CHECK(f.content.find(emit::base64("correct-horse-battery")) != std::string::npos);
    }
  }
  CHECK(template_found);
}

TEST_CASE("base64 encodes as RFC 4648 says") {
  CHECK(emit::base64("") == "");
  CHECK(emit::base64("f") == "Zg==");
  CHECK(emit::base64("fo") == "Zm8=");
  CHECK(emit::base64("foo") == "Zm9v");
  CHECK(emit::base64("foobar") == "Zm9vYmFy");
  CHECK(emit::base64("\xff\xfe") == "//4=");
  CHECK(decode_base64(emit::base64("any\nbytes\x01")) == "any\nbytes\x01");
}

}  // namespace
}  // namespace platc
