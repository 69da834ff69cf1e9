// Shared between the files of compiler/sema/: the declarations of a platform and the settings
// read from their blocks, before environments are merged.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "compiler/ast/ast.h"
#include "compiler/diag/diagnostic.h"
#include "compiler/graph/graph.h"
#include "compiler/graph/value.h"
#include "compiler/sema/check_value.h"
#include "compiler/sema/schema.h"

namespace platc::sema {

// Where a setting applies: the environments and target clouds its overlays name (sorted); both
// empty in the base block. A list means any of them; an environment overlay nested in a target
// overlay (or the reverse) sets both.
struct Scope {
  std::vector<std::string> envs;
  std::vector<std::string> targets;

  bool base() const { return envs.empty() && targets.empty(); }
  bool applies(const std::string& env, const std::string& target) const;
  // The merge order of overlays: targets (1), environments (2), both (3); the base is 0.
  int rank() const { return (envs.empty() ? 0 : 2) + (targets.empty() ? 0 : 1); }
  // Identifies the scope for "set twice in the same place".
  std::string key() const;
};

// One attribute as written: `min = 2` inside `autoscale` inside `on dev`.
struct Setting {
  std::string path;  // "autoscale.min", "env.DATABASE_URL"
  graph::Value value;
  SourceRange range;  // key through value
  Scope scope;
  const AttrSchema* schema = nullptr;  // null for entries
  // `value`, shared by the histories of every graph it applies to (made on first use).
  mutable std::shared_ptr<const graph::Value> shared;
};

// A nested block as written: `autoscale { … }`, `panel freshness { … }`.
struct BlockUse {
  std::string path;
  const BlockSchema* schema = nullptr;
  SourceRange range;  // its header
  Scope scope;
};

struct Decl {
  std::string kind;
  std::string name;  // empty for unnamed singletons
  std::string id;    // name, or kind when unnamed
  const KindSchema* schema = nullptr;
  const ast::Block* block = nullptr;
  SourceRange header;             // kind and name
  std::vector<Setting> settings;  // base first, then overlays, each in source order
  std::vector<BlockUse> blocks;
};

class Declarations : public NameTable {
 public:
  std::vector<Decl> decls;  // in file order, then source order
  std::vector<Declared> declared;
  std::map<std::string, std::size_t> index;  // name -> position in `declared`
  const KindSchema* env_schema = nullptr;
  std::vector<std::pair<std::string, SourceRange>> target_overlays;  // `on gcp`: checked against `targets`

  const Declared* find(std::string_view name) const override {
    auto it = index.find(std::string(name));
    return it == index.end() ? nullptr : &declared[it->second];
  }
  void add(Declared d) {
    index.emplace(d.name, declared.size());
    declared.push_back(std::move(d));
  }
  std::vector<std::string> names() const override {
    std::vector<std::string> out;
    for (const auto& d : declared) out.push_back(d.name);
    return out;
  }
  const KindSchema* environment_schema() const override { return env_schema; }
};

// declare.cpp: every top-level block becomes a Decl (unknown kinds, duplicates, name rules).
Declarations declare(const std::vector<const ast::File*>& files, const Schemas& schemas, Diagnostics& diags);

// elaborate.cpp: the members of each Decl become Settings and BlockUses, type-checked.
// `clouds` are the names an overlay may give besides environments (the values `targets` takes).
void elaborate(Declarations& decls, const std::vector<std::string>& environments,
               const std::vector<std::string>& clouds, Diagnostics& diags);

// check_egress.cpp: what the types of a workload's `egress` blocks cannot say, on the merged
// graphs (E0460-E0463), once per place however many graphs repeat it.
void check_egress(const Declarations& decls, const std::vector<graph::Graph>& graphs, Diagnostics& diags);

}  // namespace platc::sema
