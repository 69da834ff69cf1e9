// The workflows and the README of `.github/workflows/`, as YAML documents and text.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "backends/emit/yaml_writer.h"
#include "backends/github/model.h"

namespace platc::github {

// platc-check.yml: the lint stage of every platform.
emit::YamlNode lint_workflow(const std::optional<Pipeline>& p, const std::string& target);
// platc-delivery.yml: build, scan, push, deploy, smoke test, roll back.
emit::YamlNode delivery_workflow(const Pipeline& p);
// README.md: what runs when, what to set up in GitHub (environments, reviewers, variables).
std::string readme(const std::optional<Pipeline>& p, const std::string& platform, const std::string& target);

}  // namespace platc::github
