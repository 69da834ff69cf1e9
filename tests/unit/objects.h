// What the unit tests of the backends' output share: a platform compiled from a path or from
// source text, every Kubernetes object of a graph by "Kind/name", and paths into a YAML document.
// One copy, so that every test reads the generated objects the same way.
#pragma once

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <map>
#include <string>
#include <string_view>

#include "backends/emit/yaml_writer.h"
#include "backends/kubernetes/kubernetes.h"
#include "compiler/driver/load.h"
#include "compiler/policy/policy.h"
#include "compiler/sema/sema.h"
#include "tests/unit/temp_dir.h"

namespace platc::testing {

// The node at `path` below `n` (map keys only), or null.
inline const emit::YamlNode* at(const emit::YamlNode& n, std::initializer_list<std::string_view> path) {
  const emit::YamlNode* p = &n;
  for (auto k : path) {
    if (!p || !p->is_map()) return nullptr;
    p = p->find(k);
  }
  return p;
}

// The scalar at `path`, or "".
inline std::string text(const emit::YamlNode& n, std::initializer_list<std::string_view> path) {
  const emit::YamlNode* p = at(n, path);
  return p ? p->text() : "";
}

// The model of the platform at `path` (a file or a directory); it must compile without an error.
inline sema::Model compile_path(const std::filesystem::path& path) {
  SourceManager sm;
  auto loaded = driver::load_platform(sm, {path.string()});
  REQUIRE(!loaded.diags.has_errors());
  auto sema = sema::analyze(loaded.platform, sm);
  REQUIRE(!sema.diags.has_errors());
  policy::mark_secrets(sema.model);  // as `platc` does before any backend runs
  return std::move(sema.model);
}

// `platform shop { … }` on one target, in the target's usual test region, for a source to follow.
inline std::string platform_on(const std::string& target) {
  std::string region = target == "aws" ? "eu-west-1" : target == "gcp" ? "europe-west1" : "westeurope";
  return "platform shop {\n  owner = \"team\"\n  targets = [" + target + "]\n  region = \"" + region + "\"\n}\n";
}

// The model of a platform written as one file's text.
inline sema::Model compile_text(const std::string& source) {
  TempDir tmp("platc-unit");
  std::ofstream(tmp.path() / "main.plat") << source;
  return compile_path(tmp.path());
}

// Every Kubernetes object of one graph, by "Kind/name".
inline std::map<std::string, emit::YamlNode> objects(const graph::Graph& g) {
  std::map<std::string, emit::YamlNode> out;
  for (const auto& f : kubernetes::generate(g, {}))
    for (const auto& d : f.docs) out[text(d, {"kind"}) + "/" + text(d, {"metadata", "name"})] = d;
  return out;
}

}  // namespace platc::testing
