// What every file family of the AWS Terraform backend shares for one environment: the graph, the
// deployment's names from the contract, the module's files as HCL models, and the variables whose
// values are environment-specific (they go to `<env>.tfvars`). Families add to the module; none
// reads what another wrote, except through the resource addresses named here.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "backends/contract/names.h"
#include "backends/emit/hcl_model.h"
#include "backends/emit/hcl_module.h"
#include "compiler/graph/graph.h"

namespace platc::terraform_aws {

namespace hcl = emit::hcl;
using hcl::Expr;

// One input variable of the module, with its value for this environment (written to
// `<env>.tfvars`; none when the operator must supply it).
using emit::hcl::Variable;

class Context {
 public:
  Context(const graph::Graph& g, std::function<std::string(const SourceRange&)> source_name);
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;

  const graph::Graph& g;
  contract::Deployment d;
  const graph::Node* platform = nullptr;
  const graph::Node* env_node = nullptr;
  std::string prefix;  // `<platform>-<env>`: the first part of every name
  std::string ns;      // the Kubernetes namespace
  std::string region;
  std::map<std::string, std::string> tags;  // the platform's tags (environment is added by default_tags)
  std::set<std::string> sources;            // the .plat files the module is made from
  std::function<std::string(const SourceRange&)> source_name;
  // The Secrets Manager entries the module creates (secrets.cpp), by name: what the External
  // Secrets Operator's role may read, and nothing else (identity.cpp).
  std::set<std::string> secret_entries;

  // The file `name` (`network.tf`), created on first use; files are written in the order of
  // kFileOrder, so a family never decides the layout.
  hcl::File& file(const std::string& name);
  const std::map<std::string, hcl::File>& files() const { return files_; }

  // A variable of the module; returns `var.<name>`.
  Expr var(Variable v);
  const std::vector<Variable>& variables() const { return vars_; }

  // The nodes of a kind, in graph order; the workloads (service, worker, job).
  std::vector<const graph::Node*> of_kind(std::string_view kind) const;
  std::vector<const graph::Node*> workloads() const;
  // The nodes a workload has an edge to, of a kind.
  std::vector<const graph::Node*> targets_of(const graph::Node& workload, std::string_view kind) const;
  // The workloads with an edge to a node.
  std::vector<const graph::Node*> users_of(const graph::Node& n) const;
  bool uses(std::string_view kind) const { return !of_kind(kind).empty(); }

  // A Terraform resource label for a block id (`collector_sec`): already an identifier.
  static std::string label(std::string_view id);
  // The cloud name of a data store, bucket, queue (the contract's).
  std::string cloud_name(const graph::Node& n) const { return d.cloud_name(n); }
  // `<prefix>-<suffix>`, for the names the contract does not define (network, cluster, roles of
  // the platform's own controllers).
  std::string name(std::string_view suffix) const { return prefix + "-" + std::string(suffix); }

  // Attribute readers: the graph holds every default, so these only guard hand-made graphs.
  static std::int64_t int_of(const graph::Node& n, std::string_view path, std::int64_t fallback = 0);
  static bool bool_of(const graph::Node& n, std::string_view path, bool fallback = false);
  static std::string text_of(const graph::Node& n, std::string_view path);
  // The `Name` tag and the block's own tags, for a resource's `tags`.
  Expr tags_of(const graph::Node* n, const std::string& name) const;
  // The ECR repository each `build("./dir")` image is pushed to (`<platform>/<dir>`), by workload.
  std::map<std::string, std::string> repositories() const;
  void note_source(const graph::Node* n);

 private:
  std::map<std::string, hcl::File> files_;
  std::vector<Variable> vars_;
  std::set<std::string, std::less<>> var_names_;   // of vars_: var() is called per resource
  mutable std::optional<graph::EdgeIndex> edges_;  // built on the first targets_of/users_of
  const graph::EdgeIndex& edges() const;
};

// The AWS names of the fixed parts, in one place so the check step can check them (check.cpp).
std::string cluster_name(const Context& c);
std::string eso_role_name(const Context& c);
std::string deploy_role_name(const Context& c);
std::string terraform_role_name(const Context& c);
std::string external_dns_role_name(const Context& c);
std::string lb_controller_role_name(const Context& c);

}  // namespace platc::terraform_aws
