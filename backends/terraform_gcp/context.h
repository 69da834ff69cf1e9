// What every file family of the GCP Terraform backend shares for one environment: the graph, the
// deployment's names from the contract, the module's files as HCL models, and the variables whose
// values are environment-specific (they go to `<env>.tfvars`). Families add to the module; none
// reads what another wrote, except through the resource addresses named in families.h.
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

namespace platc::terraform_gcp {

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
  std::string prefix;   // `<platform>-<env>`: the first part of every name
  std::string project;  // the environment's project: the contract's (the ServiceAccounts name it)
  std::string ns;       // the Kubernetes namespace
  std::string region;
  std::set<std::string> sources;  // the .plat files the module is made from
  std::function<std::string(const SourceRange&)> source_name;
  // The Secret Manager secrets the module creates (secrets.cpp), by Terraform label: what the
  // External Secrets Operator's service account may read, and nothing else (identity.cpp).
  std::set<std::string> secret_labels;

  // The file `name` (`network.tf`), created on first use; written in the order of kFileOrder.
  hcl::File& file(const std::string& name);
  const std::map<std::string, hcl::File>& files() const { return files_; }

  // A variable of the module; returns `var.<name>`.
  Expr var(Variable v);
  const std::vector<Variable>& variables() const { return vars_; }

  std::vector<const graph::Node*> of_kind(std::string_view kind) const;
  std::vector<const graph::Node*> workloads() const;
  // The nodes a workload has an edge to, of a kind; the workloads with an edge to a node.
  std::vector<const graph::Node*> targets_of(const graph::Node& workload, std::string_view kind) const;
  std::vector<const graph::Node*> users_of(const graph::Node& n) const;

  // A Terraform resource label for a block id (`collector_sec`): already an identifier.
  static std::string label(std::string_view id);
  std::string cloud_name(const graph::Node& n) const { return d.cloud_name(n); }
  // `<prefix>-<suffix>`, for the names the contract does not define.
  std::string name(std::string_view suffix) const { return prefix + "-" + std::string(suffix); }

  static std::int64_t int_of(const graph::Node& n, std::string_view path, std::int64_t fallback = 0);
  static bool bool_of(const graph::Node& n, std::string_view path, bool fallback = false);
  static std::string text_of(const graph::Node& n, std::string_view path);
  // The block's own tags as GCP labels, as written (the check step refused what GCP would, E0525),
  // for a resource's `labels`; the platform's tags and `environment` come from the provider's
  // default_labels.
  Expr labels_of(const graph::Node* n) const;
  // Sets `labels` to labels_of(n) when the block has tags of its own.
  void add_labels(hcl::Body& b, const graph::Node* n) const;
  // The Artifact Registry path each `build("./dir")` image is pushed to (`<platform>/<dir>`), by
  // workload.
  std::map<std::string, std::string> repositories() const;
  void note_source(const graph::Node* n);

 private:
  std::map<std::string, hcl::File> files_;
  std::vector<Variable> vars_;
  std::set<std::string, std::less<>> var_names_;   // of vars_: var() is called per resource
  mutable std::optional<graph::EdgeIndex> edges_;  // built on the first targets_of/users_of
  const graph::EdgeIndex& edges() const;
};

// A GCP label value from one of platc's own names (the platform's, the environment's: identifiers):
// upper case lowered, anything else `_`, at most 63 characters. Tags are written as written.
std::string label_value(std::string_view s);

// The names of the fixed parts, in one place so the check step can check them (check.cpp).
std::string cluster_name(const Context& c);
std::string node_account(const graph::Graph& g);  // the nodes' service account id
std::string eso_account(const graph::Graph& g);   // the External Secrets Operator's
std::string dns_account(const graph::Graph& g);   // ExternalDNS's

}  // namespace platc::terraform_gcp
