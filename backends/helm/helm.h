// The Helm backend: one chart per platform, `helm/<platform>/`, that is the same platform as the
// plain manifests. It reads the Kubernetes backend's objects of every environment (which that
// backend built from the typed graph), turns each environment into values for the chart's fixed
// templates (backends/helm/chart/), and writes values.yaml (the first environment's values) and
// values-<environment>.yaml (only what differs from values.yaml). Why this shape: see
// docs/design-notes.md ("Helm chart").
#pragma once

#include <string>
#include <vector>

#include "backends/backend.h"
#include "backends/emit/yaml_writer.h"
#include "backends/kubernetes/kubernetes.h"
#include "compiler/diag/diagnostic.h"

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

// What the chart keeps of one environment: its values and its env Secrets, read from its objects.
struct Digest {
  std::string name;
  emit::YamlNode values;
  std::vector<emit::YamlNode> secrets;  // the workloads' `<name>-env-secret` objects
};
// Reads `env`'s objects and drops them (they are the largest thing in memory).
Digest digest(Environment env, Diagnostics& diags);

// The chart's files (helm/<platform>/...). `envs` in declaration order; the first is the one
// values.yaml describes. Objects the chart cannot express are E0501 (a defect of platc: the
// templates must cover whatever the Kubernetes backend makes); then nothing is generated.
std::vector<backends::File> generate(std::vector<Environment> envs, const Options& opts, Diagnostics& diags);
// The same from environments already digested (the backend digests each as the Kubernetes
// backend makes it).
std::vector<backends::File> chart(std::vector<Digest> envs, const Options& opts, Diagnostics& diags);

// The backend as the registry knows it.
const backends::Backend& backend();

// The values of one environment, read from its Kubernetes objects. Exposed for tests. The
// workloads' env Secrets (`<name>-env-secret`, values that look like secrets) are not values:
// they go to `env_secrets` when given, and the chart writes them as they are.
emit::YamlNode values_of(const Environment& env, Diagnostics& diags,
                         std::vector<emit::YamlNode>* env_secrets = nullptr);

// What must be laid over `base` (Helm's merge: maps merge, anything else is replaced, null
// deletes a key) to get `over`. An empty map when they are equal. Exposed for tests.
emit::YamlNode values_diff(const emit::YamlNode& base, const emit::YamlNode& over);

}  // namespace platc::helm
