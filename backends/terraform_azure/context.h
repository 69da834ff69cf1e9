// What every file family of the Azure Terraform backend shares for one environment: the graph, the
// deployment's names from the contract, the module's files as HCL models, and the variables whose
// values are environment-specific (they go to `<env>.tfvars`). Families add to the module; none
// reads what another wrote, except through the resource addresses in families.h.
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

namespace platc::terraform_azure {

namespace hcl = emit::hcl;
using hcl::Expr;

// One input variable of the module, with its value for this environment (written to
// `<env>.tfvars`; none when the operator must supply it).
using emit::hcl::Variable;

// A Key Vault secret the module creates: its resource label and name.
struct VaultEntry {
  std::string label, name;
};

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
  std::set<std::string> sources;  // the .plat files the module is made from
  std::function<std::string(const SourceRange&)> source_name;
  // The Key Vault secrets the module creates (secrets.cpp): what the External Secrets Operator's
  // identity may read, one role assignment per secret, and nothing else (identity.cpp).
  std::vector<VaultEntry> vault_entries;
  // Whether the Key Vault key `data` is written already (vault_key, storage.cpp): buckets and
  // databases with `encryption` share it.
  bool vault_key_made = false;

  // The file `name` (`network.tf`), created on first use; written in the order of kFileOrder.
  hcl::File& file(const std::string& name);
  const std::map<std::string, hcl::File>& files() const { return files_; }

  // A variable of the module; returns `var.<name>`.
  Expr var(Variable v);
  const std::vector<Variable>& variables() const { return vars_; }

  std::vector<const graph::Node*> of_kind(std::string_view kind) const;
  std::vector<const graph::Node*> workloads() const;
  // The nodes a workload has an edge to, of a kind (sorted by id).
  std::vector<const graph::Node*> targets_of(const graph::Node& workload, std::string_view kind) const;

  // A Terraform resource label for a block id: `-` as `_`.
  static std::string label(std::string_view id);
  std::string cloud_name(const graph::Node& n) const { return d.cloud_name(n); }
  // `<prefix>-<suffix>`, for the names the contract does not define.
  std::string name(std::string_view suffix) const { return prefix + "-" + std::string(suffix); }

  static std::int64_t int_of(const graph::Node& n, std::string_view path, std::int64_t fallback = 0);
  static bool bool_of(const graph::Node& n, std::string_view path, bool fallback = false);
  static std::string text_of(const graph::Node& n, std::string_view path);
  // `local.tags` (the platform's tags, `environment`, `platform`, `managed-by`), merged with the
  // block's own tags when it has any: azurerm has no provider-wide default tags.
  static Expr tags_of(const graph::Node* n);
  // The repository each `build("./dir")` image is pushed to (`<platform>/<dir>`), by workload.
  std::map<std::string, std::string> repositories() const;
  void note_source(const graph::Node* n);

 private:
  std::map<std::string, hcl::File> files_;
  std::vector<Variable> vars_;
  std::set<std::string, std::less<>> var_names_;   // of vars_: var() is called per resource
  mutable std::optional<graph::EdgeIndex> edges_;  // built on the first targets_of/users_of
  const graph::EdgeIndex& edges() const;
};

// The Azure names of the fixed parts, in one place so the check step can check them (check.cpp).
std::string cluster_name(const Context& c);
// Key Vault: 3-24 letters, digits and hyphens, globally unique: `<platform>-<env>`.
std::string key_vault_name(const contract::Deployment& d);
// The managed identity the storage accounts use their customer-managed key with:
// `P-E-storage-encryption`, one of the platform's own identities (check.cpp).
std::string storage_encryption_identity(const contract::Deployment& d);
// The managed identity the Flexible Servers use the key with: `P-E-database-encryption`.
std::string database_encryption_identity(const contract::Deployment& d);
// The managed identity the Service Bus namespace uses the key with: `P-E-messaging-encryption`.
std::string messaging_encryption_identity(const contract::Deployment& d);
// Container registry: 5-50 letters and digits, globally unique: `<platform><env>` without hyphens.
std::string registry_name(const contract::Deployment& d);
// Event Hubs namespace: 6-50 characters; it shares `*.servicebus.windows.net` with the Service
// Bus namespace of the contract (`<platform>-<env>`), so it is `<platform>-<env>-events`.
std::string events_namespace(const contract::Deployment& d);
// Whether a topic's `schema` is Avro (`.avsc`), the one type the schema groups of azurerm 4.55
// take (messaging.cpp makes the group, unkept.cpp warns about the others).
bool avro_schema(const graph::Node& topic);

}  // namespace platc::terraform_azure
