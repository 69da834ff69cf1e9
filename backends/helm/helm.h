// The Helm backend: one chart per platform, `helm/<platform>/`, that is the same platform as the
// plain manifests. It reads the Kubernetes backend's objects of every environment (which that
// backend built from the typed graph), turns each environment into values for the chart's fixed
// templates (backends/helm/chart/), and writes values.yaml (the first environment's values) and
// values-<environment>.yaml (only what differs from values.yaml). Why this shape: see
// docs/design-notes.md ("Helm chart").
#pragma once

#include <string>
#include <vector>

#include "backends/emit/yaml_writer.h"
#include "backends/kubernetes/kubernetes.h"

namespace platc::helm {

struct Environment {
  std::string name;
  std::string target;
  std::vector<kubernetes::File> files;  // kubernetes/<name>/, with their objects
};

struct Options {
  std::string platform;          // the platform's name as written (`acme`)
  std::string source;            // the file that declares the platform, for the header comment
  std::string platform_version;  // appVersion; empty: the images' common version or 0.0.0-dev
};

struct File {
  std::string path;  // helm/<platform>/...
  std::string content;
};

struct Result {
  std::vector<File> files;
  std::vector<std::string> errors;
};

// `envs` in declaration order; the first is the one values.yaml describes.
Result generate(const std::vector<Environment>& envs, const Options& opts);

// The values of one environment, read from its Kubernetes objects. Exposed for tests.
emit::YamlNode values_of(const Environment& env, std::vector<std::string>& errors);

// What must be laid over `base` (Helm's merge: maps merge, anything else is replaced, null
// deletes a key) to get `over`. An empty map when they are equal. Exposed for tests.
emit::YamlNode values_diff(const emit::YamlNode& base, const emit::YamlNode& over);

}  // namespace platc::helm
