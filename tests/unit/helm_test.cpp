// The Helm backend's pieces that the chart-equality test (tests/scripts/helm_render.sh) cannot
// isolate: the values diff (Helm's merge semantics) and refusing objects it has no template for.
#include "backends/helm/helm.h"

#include <doctest/doctest.h>

#include "backends/emit/yaml_writer.h"

using namespace platc;
using emit::YamlNode;

namespace {

YamlNode map_of(std::initializer_list<std::pair<const char*, YamlNode>> entries) {
  YamlNode m = YamlNode::map();
  for (const auto& [k, v] : entries) m.set(k, v);
  return m;
}

YamlNode namespace_doc() {
  YamlNode ns = map_of({{"apiVersion", YamlNode::str("v1")}, {"kind", YamlNode::str("Namespace")}});
  YamlNode& md = ns.child("metadata");
  md.set("name", "p-dev");
  md.child("labels").set("app.kubernetes.io/part-of", "p");
  md.child("labels").set("app.kubernetes.io/instance", "p-dev");
  md.child("labels").set("team", "core");
  return ns;
}

}  // namespace

TEST_CASE("values_diff: only what changes, null for what goes, maps merged key by key") {
  YamlNode base = map_of({{"a", YamlNode::integer(1)},
                          {"b", map_of({{"x", YamlNode::str("1")}, {"y", YamlNode::str("2")}})},
                          {"gone", YamlNode::boolean(true)}});
  YamlNode over = map_of({{"a", YamlNode::integer(1)},
                          {"b", map_of({{"x", YamlNode::str("1")}, {"y", YamlNode::str("3")}})},
                          {"new", YamlNode::str("n")}});
  YamlNode d = helm::values_diff(base, over);
  // (`y` and `n` are quoted: YAML 1.1 reads them as booleans.)
  CHECK(emit::to_yaml(d) == "b:\n  \"y\": \"3\"\nnew: \"n\"\ngone: null\n");
  CHECK(helm::values_diff(base, base).empty());
  // A list is replaced whole, as Helm does.
  YamlNode l1 = YamlNode::seq(), l2 = YamlNode::seq();
  l1.push(YamlNode::integer(1));
  l2.push(YamlNode::integer(1));
  l2.push(YamlNode::integer(2));
  CHECK(emit::to_yaml(helm::values_diff(map_of({{"l", l1}}), map_of({{"l", l2}}))) == "l:\n- 1\n- 2\n");
}

TEST_CASE("values_of: platform labels from the Namespace, an unknown object is an error") {
  helm::Environment env{"dev", "aws", {}};
  kubernetes::File f{"kubernetes/dev/namespace.yaml", "", {namespace_doc()}};
  env.files.push_back(f);
  Diagnostics diags;
  YamlNode v = helm::values_of(env, diags);
  CHECK(diags.empty());
  REQUIRE(v.find("platform"));
  CHECK(v.find("platform")->text() == "p");
  CHECK(v.find("commonLabels")->find("team")->text() == "core");
  CHECK(v.find("secretStore")->find("name")->text() == "aws-secrets-manager");

  YamlNode odd = map_of({{"apiVersion", YamlNode::str("v1")}, {"kind", YamlNode::str("LimitRange")}});
  odd.child("metadata").set("name", "limits");
  env.files.push_back({"kubernetes/dev/limits.yaml", "", {odd}});
  helm::values_of(env, diags);
  REQUIRE(diags.items().size() == 1);
  CHECK(diags.items()[0].code() == "E0501");
  CHECK(diags.items()[0].message ==
        "the Helm chart cannot express environment `dev`: the chart has no template for LimitRange `limits`");
}

TEST_CASE("generate: Chart.yaml, values files and the fixed templates under helm/<platform>/") {
  helm::Environment dev{"dev", "gcp", {{"kubernetes/dev/namespace.yaml", "", {namespace_doc()}}}};
  YamlNode prod_ns = namespace_doc();
  prod_ns.child("metadata").child("labels").set("team", "sre");
  helm::Environment prod{"prod", "gcp", {{"kubernetes/prod/namespace.yaml", "", {prod_ns}}}};
  Diagnostics diags;
  auto generated = helm::generate({dev, prod}, {"my_platform", "main.plat", ""}, diags);
  REQUIRE(diags.empty());
  std::map<std::string, std::string> files;
  for (const auto& f : generated) files[f.path] = f.content;
  REQUIRE(files.count("helm/my-platform/Chart.yaml"));
  CHECK(files["helm/my-platform/Chart.yaml"].find("apiVersion: v2\nname: my-platform\n") != std::string::npos);
  CHECK(files["helm/my-platform/values-dev.yaml"].ends_with("{}\n"));
  CHECK(files["helm/my-platform/values-prod.yaml"].ends_with("commonLabels:\n  team: sre\n"));
  CHECK(files.count("helm/my-platform/templates/_helpers.tpl"));
  CHECK(files.count("helm/my-platform/templates/NOTES.txt"));
  CHECK(files.count("helm/my-platform/values.schema.json"));
}
