// What the workflows are made from, read once from the graphs: the pipeline's triggers, scanners
// and build settings, the images to build, and per environment of the `deploy` chain its names
// (from the contract), approval, hook jobs and smoke-test URLs. The workflow writers only read it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "backends/contract/names.h"
#include "compiler/graph/graph.h"

namespace platc::github {

struct Trigger {
  enum Kind { Push, Tag, PullRequest, Schedule, Manual } kind = Push;
  std::string arg;  // the branch, tag pattern or cron
};

// One image the pipeline builds: a `build("./dir")` directory, however many workloads run it.
struct Image {
  std::string repository;              // the contract's `<platform>/<dir>`
  std::string context;                 // the directory as written, without `./`
  std::string slug;                    // `<dir>` as a job id and file name: `build-<slug>`
  std::vector<std::string> workloads;  // their Kubernetes names (the Helm values' keys)
};

struct SmokeCheck {
  std::string service;
  std::string url;  // https://<host><readiness path>
};

struct Environment {
  const graph::Graph* g = nullptr;
  contract::Deployment d;
  bool approval = false;
  std::vector<std::string> reviewers;
  std::vector<std::string> pre_deploy, post_deploy;  // hook jobs' Kubernetes names
  std::vector<SmokeCheck> smoke;
  bool databases = false, caches = false;
  // The caches whose AUTH token is an input of the module (TLS with auth, AWS): graph ids.
  std::vector<std::string> auth_caches;
  explicit Environment(const graph::Graph& graph) : g(&graph), d(graph) {}
};

struct Pipeline {
  std::string platform;  // as written
  std::string target;    // the cloud the workflows deploy to
  std::string sources;   // the .plat files of the pipeline block (header)
  std::vector<Trigger> triggers;
  std::vector<std::string> trivy_severities;  // HIGH,CRITICAL …; empty: no Trivy
  // Repository scanners, run once per run before anything is deployed: `gitguardian` (leaked
  // secrets), `sonarqube` (with its quality gate when `quality_gate = true`).
  bool gitguardian = false, sonarqube = false, sonar_quality_gate = false;
  std::vector<std::string> unsupported_scanners;
  std::vector<std::string> platforms{"linux/amd64"};
  bool cache = true, rollback = true, smoke_test = true;
  std::vector<Image> images;
  std::vector<Environment> environments;  // the deploy chain, in order
  std::vector<std::string> missing;       // chain environments not among the graphs built
};

// The pipeline of the graphs (all of one target), or nullopt when the platform has none.
std::optional<Pipeline> read_pipeline(const std::vector<const graph::Graph*>& envs);

// The branch pushes to which run the lint workflow: the pipeline's push triggers, or `main`.
std::vector<std::string> lint_branches(const std::optional<Pipeline>& p);

}  // namespace platc::github
