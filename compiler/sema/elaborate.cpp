// Elaboration: the members of each block, checked against the kind's schema. Every attribute is
// type-checked once, where it is written, whatever the number of environments it applies to.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <set>

#include "compiler/sema/internal.h"
#include "compiler/support/names.h"

namespace platc::sema {
namespace {

// Up to this many members, an unknown attribute's diagnostic lists them all.
constexpr std::size_t kListedMembers = 16;

std::string key_problem(KeyRule rule, const std::string& key) {
  switch (rule) {
    case KeyRule::EnvVar: {
      bool ok = !key.empty() && !std::isdigit(static_cast<unsigned char>(key[0]));
      for (char c : key)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') ok = false;
      return ok ? "" : "environment variable name";
    }
    case KeyRule::LabelKey:
      // Kubernetes label keys: the name part only, without a `prefix/`.
      return is_label_name(key) ? "" : "label key";
    case KeyRule::AnnotationKey:
      return is_qualified_key(key) ? "" : "annotation key";
    case KeyRule::MountPath:
      return mount_path_problem(key).empty() ? "" : "mount path";
    case KeyRule::Any:
      return "";
  }
  return "";
}

class Elaborator {
 public:
  Elaborator(Declarations& decls, const std::vector<std::string>& environments, const std::vector<std::string>& clouds,
             Diagnostics& diags)
      : decls_(decls), environments_(environments), clouds_(clouds), diags_(diags), checker_(diags, &decls) {}

  void run(Decl& d) {
    decl_ = &d;
    seen_.clear();
    std::vector<Setting> overlays;
    std::vector<BlockUse> overlay_blocks;
    base_ = &d.settings;
    over_ = &overlays;
    base_blocks_ = &d.blocks;
    over_blocks_ = &overlay_blocks;
    members(d.block->members, *d.schema, "", Scope{}, d.schema->name + " `" + d.id + "`");
    // The merge order: base settings first, then the overlays from the least to the most specific
    // (targets, environments, both), each in source order, so `on production` beats `on gcp`.
    std::stable_sort(overlays.begin(), overlays.end(),
                     [](const Setting& a, const Setting& b) { return a.scope.rank() < b.scope.rank(); });
    for (auto& s : overlays) d.settings.push_back(std::move(s));
    for (auto& b : overlay_blocks) d.blocks.push_back(std::move(b));
  }

 private:
  void add(Setting s) { (s.scope.base() ? *base_ : *over_).push_back(std::move(s)); }
  void add_block(BlockUse b) { (b.scope.base() ? *base_blocks_ : *over_blocks_).push_back(std::move(b)); }

  // Reports a second `x = …` in the same block and the same environments.
  bool first_time(const std::string& path, const Scope& scope, const SourceRange& where, const std::string& key,
                  const std::string& owner) {
    auto [it, fresh] = seen_.emplace(path + "|" + scope.key(), where);
    if (!fresh) {
      diags_.report(DiagKind::DuplicateAttribute, where, key, owner)
          .label("set again here")
          .also(it->second, "first set here")
          .with_help("remove one of them; to change a value per environment, use `on ENV { … }`");
    }
    return fresh;
  }

  void members(const std::vector<ast::Member>& ms, const BlockSchema& schema, const std::string& prefix,
               const Scope& scope, const std::string& owner) {
    for (const auto& m : ms) {
      if (auto* a = std::get_if<ast::Attribute>(&m))
        attribute(*a, schema, prefix, scope, owner);
      else if (auto* b = std::get_if<std::unique_ptr<ast::Block>>(&m))
        block(**b, schema, prefix, scope, owner);
      else
        overlay(*std::get<std::unique_ptr<ast::Overlay>>(m), schema, prefix, scope, owner);
    }
  }

  void attribute(const ast::Attribute& a, const BlockSchema& schema, const std::string& prefix, const Scope& scope,
                 const std::string& owner) {
    const std::string& key = a.key.name;
    if (const AttrSchema* as = schema.attr(key)) {
      if (!first_time(prefix + key, scope, a.range, key, owner)) return;
      auto v = checker_.check(*a.value, as->type, prefix + key);
      if (!v) {
        // Reported already. Keep a placeholder so the attribute counts as set and a required
        // attribute with a bad value is not reported missing as well; nothing reads a graph
        // that has errors.
        graph::Value placeholder;
        placeholder.kind = graph::ValueKind::String;
        placeholder.range = a.value->range;
        add({prefix + key, std::move(placeholder), a.range, scope, as, nullptr});
        return;
      }
      checker_.check_bounds(*v, *as);
      add({prefix + key, std::move(*v), a.range, scope, as, nullptr});
      return;
    }
    if (const EntriesSchema* es = schema.entry(key)) {
      // `env = { A = "1" }` is the same as `env { A = "1" }`.
      if (auto* map = a.value->as<ast::MapExpr>()) {
        add_block({prefix + key, nullptr, a.key.range, scope});
        for (const auto& e : map->entries) entry(e.key, *e.value, e.range, *es, prefix + key + ".", scope, owner);
        return;
      }
      diags_.report(DiagKind::BlockOrAttribute, a.key.range, key, "a block of entries", "a single value")
          .label("written as an attribute")
          .with_help(fmt::format("write `{} {{ KEY = value }}`", key));
      return;
    }
    if (schema.block(key)) {
      diags_.report(DiagKind::BlockOrAttribute, a.key.range, key, "a block", "an attribute")
          .label("written as an attribute")
          .with_help(fmt::format("write `{} {{ … }}`", key));
      return;
    }
    unknown(a.key, schema, owner);
  }

  void entry(const ast::Ident& key, const ast::Expr& value, const SourceRange& range, const EntriesSchema& es,
             const std::string& prefix, const Scope& scope, const std::string& owner) {
    if (std::string what = key_problem(es.key, key.name); !what.empty()) {
      diags_.report(DiagKind::InvalidKey, key.range, key.name, what)
          .label(es.key == KeyRule::MountPath ? mount_path_problem(key.name) : fmt::format("not a valid {}", what))
          .note(es.key == KeyRule::EnvVar ? "environment variable names are letters, digits and `_`, not starting "
                                            "with a digit"
                : es.key == KeyRule::AnnotationKey
                    ? "annotation keys are an optional DNS prefix and `/` (`example.com/`), then at most 63 "
                      "letters, digits, `-`, `_` and `.`, starting and ending with a letter or digit"
                : es.key == KeyRule::MountPath
                    ? "a mount path is an absolute directory in the container, such as `/var/cache`, written "
                      "once: no `.` or `..` segments, no `//`, no trailing `/`, no `:`, and not `/` itself"
                    : "label keys are at most 63 letters, digits, `-`, `_` and `.`, "
                      "starting and ending with a letter or digit");
      return;
    }
    if (!first_time(prefix + key.name, scope, range, key.name, owner)) return;
    auto v = checker_.check(value, es.type, prefix + key.name);
    if (v) add({prefix + key.name, std::move(*v), range, scope, nullptr, nullptr});
  }

  void block(const ast::Block& b, const BlockSchema& schema, const std::string& prefix, const Scope& scope,
             const std::string& owner) {
    const std::string& key = b.kind.name;
    if (const EntriesSchema* es = schema.entry(key)) {
      if (b.name) {
        diags_.report(DiagKind::BlockNameForbidden, b.name->range, key).label("remove this name");
        return;
      }
      add_block({prefix + key, nullptr, b.kind.range, scope});
      for (const auto& m : b.members) {
        if (auto* a = std::get_if<ast::Attribute>(&m)) {
          entry(a->key, *a->value, a->range, *es, prefix + key + ".", scope, owner);
        } else if (std::get_if<std::unique_ptr<ast::Overlay>>(&m)) {
          diags_.report(DiagKind::OverlayNotAllowed, ast::member_range(m), fmt::format("inside `{}`", key))
              .label("overlay here")
              .with_help(fmt::format("put `on ENV {{ {} {{ … }} }}` around the block instead", key));
        } else {
          diags_
              .report(DiagKind::BlockOrAttribute, ast::member_range(m),
                      std::get<std::unique_ptr<ast::Block>>(m)->kind.name, "inside `" + key + "`",
                      "a block: entries are `KEY = value`")
              .label("a block inside entries");
        }
      }
      return;
    }
    const BlockSchema* bs = schema.block(key);
    if (!bs) {
      if (schema.attr(key)) {
        diags_.report(DiagKind::BlockOrAttribute, b.kind.range, key, "an attribute", "a block")
            .label("written as a block")
            .with_help(fmt::format("write `{} = …`", key));
        return;
      }
      unknown(b.kind, schema, owner);
      return;
    }
    std::string path = prefix + key;
    if (bs->name_rule == NameRule::Required && !b.name) {
      diags_.report(DiagKind::BlockNameRequired, b.kind.range, key)
          .label("name missing")
          .with_help(fmt::format("write `{} NAME {{ … }}`", key));
      return;
    }
    if (bs->name_rule == NameRule::Forbidden && b.name) {
      diags_.report(DiagKind::BlockNameForbidden, b.name->range, key)
          .label("remove this name")
          .fix(SourceRange{b.name->range.file, b.kind.range.end_line, b.kind.range.end_col, b.name->range.end_line,
                           b.name->range.end_col},
               "");
      return;
    }
    if (b.name) path += "." + b.name->name;
    SourceRange header = b.name ? SourceRange::cover(b.kind.range, b.name->range) : b.kind.range;
    if (!bs->repeated || b.name) {
      // A block may be written twice (the base and an overlay) but not twice in one place.
      auto [it, fresh] = seen_.emplace("block:" + path + "|" + scope.key(), header);
      if (!fresh) {
        diags_.report(DiagKind::DuplicateAttribute, header, path, owner)
            .label("written again here")
            .also(it->second, "first written here")
            .with_help("merge the two blocks");
        return;
      }
    }
    add_block({path, bs, header, scope});
    members(b.members, *bs, path + ".", scope, fmt::format("`{}` in {}", path, owner));
  }

  // `on production { … }`, `on gcp { … }`, `on gcp { on production { … } }`: an overlay names
  // environments or target clouds; one of each may nest, which applies to both at once.
  void overlay(const ast::Overlay& o, const BlockSchema& schema, const std::string& prefix, const Scope& outer,
               const std::string& owner) {
    if (decl_->kind == "environment") {
      diags_.report(DiagKind::OverlayNotAllowed, o.on_keyword, "in an `environment` block")
          .label("overlay here")
          .note("an environment block already describes one environment; set its attributes directly");
      return;
    }
    std::vector<std::string> envs, targets;
    const ast::Ident* first_env = nullptr;
    const ast::Ident* first_target = nullptr;
    bool ok = true;
    for (const auto& e : o.environments) {
      bool is_env = std::find(environments_.begin(), environments_.end(), e.name) != environments_.end();
      bool is_target = std::find(clouds_.begin(), clouds_.end(), e.name) != clouds_.end();
      if (is_env) {
        if (!first_env) first_env = &e;
        if (std::find(envs.begin(), envs.end(), e.name) == envs.end()) envs.push_back(e.name);
      } else if (is_target) {
        if (!first_target) first_target = &e;
        if (std::find(targets.begin(), targets.end(), e.name) == targets.end()) targets.push_back(e.name);
        decls_.target_overlays.push_back({e.name, e.range});
      } else {
        unknown_environment(e);
        ok = false;
      }
    }
    if (!ok) return;
    if (first_env && first_target) {
      diags_.report(DiagKind::MixedOverlay, first_target->range, first_env->name, first_target->name)
          .label("a target")
          .also(first_env->range, "an environment")
          .note(
              "one overlay lists environments or targets: a list means any of them, so mixing the two would "
              "apply to every environment of that target and every target of that environment")
          .with_help(fmt::format("to change `{}` on `{}` only, nest them: `on {} {{ on {} {{ … }} }}`", first_env->name,
                                 first_target->name, first_target->name, first_env->name));
      return;
    }
    // One level of each: environments inside a target overlay, or targets inside an environment's.
    if ((!envs.empty() && !outer.envs.empty()) || (!targets.empty() && !outer.targets.empty())) {
      diags_.report(DiagKind::OverlayNotAllowed, o.on_keyword, "inside another overlay of the same sort")
          .label("nested overlay")
          .with_help(envs.empty() ? "list the targets in one overlay instead: `on aws, gcp { … }`"
                                  : "list the environments in one overlay instead: `on staging, production { … }`");
      return;
    }
    Scope scope = outer;
    if (!envs.empty()) scope.envs = std::move(envs);
    if (!targets.empty()) scope.targets = std::move(targets);
    std::sort(scope.envs.begin(), scope.envs.end());
    std::sort(scope.targets.begin(), scope.targets.end());
    members(o.members, schema, prefix, scope, owner);
  }

  void unknown_environment(const ast::Ident& e) {
    auto& d = diags_.report(DiagKind::UnknownEnvironment, e.range, e.name).label("not an environment");
    std::vector<std::string> names = environments_;
    names.insert(names.end(), clouds_.begin(), clouds_.end());
    auto best = closest_match(e.name, names);
    // `prod` for `production`: an abbreviation is too far for the edit distance.
    for (const auto& env : environments_)
      if (!best && e.name.size() >= 3 && env.starts_with(e.name)) best = env;
    if (best)
      d.with_help(fmt::format("did you mean `{}`?", *best)).fix(e.range, *best);
    else
      d.with_help(fmt::format("declare it: `environment {} {{ … }}`", e.name));
  }

  void unknown(const ast::Ident& key, const BlockSchema& schema, const std::string& owner) {
    auto& d = diags_.report(DiagKind::UnknownAttribute, key.range, owner, key.name).label("unknown attribute");
    std::vector<std::string> names = schema.member_names();
    if (auto best = closest_match(key.name, names)) {
      d.with_help(fmt::format("did you mean `{}`?", *best)).fix(key.range, *best);
    } else if (names.size() <= kListedMembers) {
      // A small block: say what it takes (`health`: the probes and their settings).
      std::string listed;
      for (const auto& n : names) listed += (listed.empty() ? "`" : ", `") + n + "`";
      d.note(fmt::format("{} takes {}", owner, listed.empty() ? "nothing" : listed));
    } else {
      d.note(fmt::format("the attributes of {} are listed in docs/kinds.md", owner));
    }
  }

  Declarations& decls_;
  const std::vector<std::string>& environments_;
  const std::vector<std::string>& clouds_;
  Diagnostics& diags_;
  ValueChecker checker_;
  Decl* decl_ = nullptr;
  std::vector<Setting>* base_ = nullptr;
  std::vector<Setting>* over_ = nullptr;
  std::vector<BlockUse>* base_blocks_ = nullptr;
  std::vector<BlockUse>* over_blocks_ = nullptr;
  std::map<std::string, SourceRange> seen_;
};

}  // namespace

bool Scope::applies(const std::string& env, const std::string& target) const {
  auto in = [](const std::vector<std::string>& v, const std::string& x) {
    return v.empty() || std::find(v.begin(), v.end(), x) != v.end();
  };
  return in(envs, env) && in(targets, target);
}

std::string Scope::key() const {
  std::string out;
  for (const auto& e : envs) out += e + ",";
  out += "|";
  for (const auto& t : targets) out += t + ",";
  return out;
}

void elaborate(Declarations& decls, const std::vector<std::string>& environments,
               const std::vector<std::string>& clouds, Diagnostics& diags) {
  Elaborator e(decls, environments, clouds, diags);
  for (auto& d : decls.decls) e.run(d);
}

}  // namespace platc::sema
