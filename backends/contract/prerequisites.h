// What a cluster must run before the Kubernetes output is applied, pinned, per target cloud: the
// controllers the manifests' objects need (ExternalSecrets, ServiceMonitors, the Reloader
// annotation, Ingress hosts' records). One list, read by each Terraform backend's README.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "backends/contract/target.h"

namespace platc::contract {

struct Prerequisite {
  std::string name;
  std::string repo;   // helm repository URL
  std::string chart;  // repo-name/chart
  std::string version;
  std::string ns;
  std::string why;
  std::string release() const { return chart.substr(chart.find('/') + 1); }
};

// The prerequisites of a cluster on `cloud`, in the order they are installed.
std::vector<Prerequisite> cluster_prerequisites(Cloud cloud);

// The README's section body for them: a shell block (`login`, the `helm repo add` lines, one
// `helm upgrade --install` per chart with `extra(release)` appended to its line) and a table.
std::string prerequisites_section(Cloud cloud, const std::string& login,
                                  const std::function<std::string(std::string_view release)>& extra);

}  // namespace platc::contract
