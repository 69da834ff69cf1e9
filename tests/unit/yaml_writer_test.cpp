// The YAML writer (backends/emit/yaml_writer.h): every tricky scalar is read back as the same
// string by yaml-cpp and, when python3 has its yaml module, by PyYAML (a YAML 1.1 reader, like
// kubectl's). Layout: block style, sequences at their key's indentation, literal blocks.
#include "backends/emit/yaml_writer.h"

#include <doctest/doctest.h>
#include <yaml-cpp/yaml.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "tests/unit/temp_dir.h"

using platc::emit::to_yaml;
using platc::emit::yaml_quote;
using platc::emit::YamlNode;

namespace {

const std::vector<std::string>& tricky() {
  static const std::vector<std::string> k = {
      "on", "On", "ON", "off", "yes", "Yes", "no", "NO", "y", "Y", "n", "N", "true", "False", "null", "Null", "~", "",
      " ", "0755", "0o755", "0x1F", "0b101", "1e3", "1E3", "-1e3", "12:30", "12:30:45", "1_000", "007", "3.14", ".5",
      "-.5", "+1", "-1", ".inf", "-.inf", ".NaN", "2024-01-02", "2024-01-02 10:00:00", "<<", "=", "-", "--flag",
      "- item", "? key", ": value", "a: b", "a:b", "a #b", "a#b", "ends:", "#comment", "&anchor", "*alias", "!tag", "|",
      ">", "'single'", "\"double\"", "%percent", "@at", "`tick", "[x]", "{x}", "a, b", " leading", "trailing ",
      "tab\there", "back\\slash", "quote\"inside", "caf\xC3\xA9", "nel\xC2\x85x", "ls\xE2\x80\xA8x",
      "\xEF\xBB\xBF"
      "bom",
      "bell\x07", "del\x7F", "*/15 * * * *", "0 * * * *", "nginx:1.27", "http://a.b/c?d=e", "api.dev.example.io",
      "512Mi", "250m", "/healthz", "app.kubernetes.io/name", "platform-team", "16",
      // multi-line: literal blocks with every chomping and the indentation indicator
      "a\nb", "a\nb\n", "a\nb\n\n", "a\nb\n\n\n", "  indented\nnext\n", "  indented\nnext", "\nleading blank\n",
      "\n\nx", "x\n\n\ny\n", "line with trailing space \nnext\n", "# not a comment\n- not a list\nkey: not a map\n",
      "\n", "\n\n", "cr\r\nlf\n", "tab\n\tline\n", "   \n  x\n"};
  return k;
}

bool have_pyyaml() {
  static int have = -1;
  if (have < 0) have = std::system("python3 -c 'import yaml' >/dev/null 2>&1") == 0 ? 1 : 0;
  return have == 1;
}

}  // namespace

TEST_CASE("yaml: every tricky scalar reads back as the same string with yaml-cpp") {
  for (const auto& s : tricky()) {
    CAPTURE(s);
    YamlNode doc = YamlNode::map();
    doc.set("v", YamlNode::str(s));
    doc.child("nested").set("v", YamlNode::str(s));
    doc.child("list").push(YamlNode::str(s));
    YamlNode& item = doc.child("maps").push(YamlNode::map());
    item.set("name", "x");
    item.set("v", YamlNode::str(s));
    std::string text = to_yaml(doc);
    CAPTURE(text);
    YAML::Node n = YAML::Load(text);
    CHECK(n["v"].as<std::string>() == s);
    CHECK(n["nested"]["v"].as<std::string>() == s);
    CHECK(n["list"][0].as<std::string>() == s);
    CHECK(n["maps"][0]["v"].as<std::string>() == s);
    // as a key too, when it is one line
    if (s.find('\n') == std::string::npos) {
      YamlNode m = YamlNode::map();
      m.set(s, "x");
      YAML::Node k = YAML::Load(to_yaml(m));
      CHECK(k.begin()->first.as<std::string>() == s);
    }
  }
}

TEST_CASE("yaml: every tricky scalar reads back as the same string with PyYAML (YAML 1.1)") {
  if (!have_pyyaml()) {
    MESSAGE("python3 yaml module not installed: skipped (scripts/install-deps installs python3-yaml)");
    return;
  }
  platc::testing::TempDir tmp("platc-yaml");
  YamlNode doc = YamlNode::map();
  YamlNode& list = doc.child("strings");
  list = YamlNode::seq();
  YamlNode& maps = doc.child("maps");
  maps = YamlNode::seq();
  for (const auto& s : tricky()) {
    list.push(YamlNode::str(s));
    maps.push(YamlNode::map()).set("v", YamlNode::str(s));
  }
  // The expected strings, one per line as JSON (escaped), for python to compare with.
  std::string expected;
  for (const auto& s : tricky()) {
    std::string j = "\"";
    for (unsigned char c : s) {
      if (c == '"' || c == '\\') {
        j += '\\';
        j += static_cast<char>(c);
      } else if (c < 0x20 || c == 0x7F) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\u%04x", c);
        j += buf;
      } else {
        j += static_cast<char>(c);
      }
    }
    expected += j + "\"\n";
  }
  {
    std::ofstream(tmp.path() / "doc.yaml", std::ios::binary) << to_yaml(doc);
    std::ofstream(tmp.path() / "expected.jsonl", std::ios::binary) << expected;
    std::ofstream(tmp.path() / "check.py") << R"(import json, sys, yaml
d = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))
want = [json.loads(l) for l in open(sys.argv[2], encoding="utf-8").read().split("\n") if l]
bad = 0
for i, w in enumerate(want):
    for got in (d["strings"][i], d["maps"][i]["v"]):
        if got != w:
            print("mismatch:", repr(w), "read back as", repr(got)); bad += 1
sys.exit(1 if bad else 0)
)";
  }
  std::string cmd = "python3 " + (tmp.path() / "check.py").string() + " " + (tmp.path() / "doc.yaml").string() + " " +
                    (tmp.path() / "expected.jsonl").string();
  CHECK(std::system(cmd.c_str()) == 0);
}

TEST_CASE("yaml: quoting decisions") {
  CHECK(yaml_quote("on") == "\"on\"");
  CHECK(yaml_quote("0755") == "\"0755\"");
  CHECK(yaml_quote("12:30") == "\"12:30\"");
  CHECK(yaml_quote("1e3") == "\"1e3\"");
  CHECK(yaml_quote("~") == "\"~\"");
  CHECK(yaml_quote("") == "\"\"");
  CHECK(yaml_quote("nginx:1.27") == "nginx:1.27");
  CHECK(yaml_quote("app.kubernetes.io/name") == "app.kubernetes.io/name");
  CHECK(yaml_quote("platform-team") == "platform-team");
  CHECK(yaml_quote("a\tb") == "\"a\\tb\"");
  CHECK(yaml_quote("nel\xC2\x85") == "\"nel\\u0085\"");
}

TEST_CASE("yaml: layout like kubectl") {
  YamlNode doc = YamlNode::map();
  doc.set("apiVersion", "v1");
  doc.set("kind", "ConfigMap");
  doc.child("metadata").set("name", "x");
  YamlNode& c = doc.child("spec").child("containers");
  c = YamlNode::seq();
  YamlNode& one = c.push(YamlNode::map());
  one.set("name", "app");
  one.child("args") = YamlNode::seq();
  one.child("args").push(YamlNode::str("--flag"));
  one.set("ports", YamlNode::seq());
  one.set("replicas", YamlNode::integer(3));
  one.set("ratio", YamlNode::number("0.05"));
  one.set("ok", YamlNode::boolean(false));
  doc.child("data").set("script", YamlNode::str("  indented\nnext"));
  doc.child("data").set("keep", YamlNode::str("a\n\n"));
  CHECK(to_yaml(doc) ==
        "apiVersion: v1\n"
        "kind: ConfigMap\n"
        "metadata:\n"
        "  name: x\n"
        "spec:\n"
        "  containers:\n"
        "  - name: app\n"
        "    args:\n"
        "    - \"--flag\"\n"
        "    ports: []\n"
        "    replicas: 3\n"
        "    ratio: 0.05\n"
        "    ok: false\n"
        "data:\n"
        "  script: |2-\n"
        "      indented\n"
        "    next\n"
        "  keep: |+\n"
        "    a\n"
        "\n");
}

TEST_CASE("yaml: set keeps the first position; streams separate documents") {
  YamlNode m = YamlNode::map();
  m.set("b", "1");
  m.set("a", "2");
  m.set("b", "3");
  CHECK(to_yaml(m) == "b: \"3\"\na: \"2\"\n");
  CHECK(platc::emit::to_yaml_stream({m, m}, "# head\n") == "# head\nb: \"3\"\na: \"2\"\n---\nb: \"3\"\na: \"2\"\n");
}
