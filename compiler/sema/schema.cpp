#include "compiler/sema/schema.h"

#include <fmt/format.h>

#include <algorithm>
#include <functional>

#include "compiler/driver/embedded.h"
#include "compiler/parse/parser.h"
#include "compiler/sema/check_value.h"

namespace platc::sema {

const AttrSchema* BlockSchema::attr(std::string_view n) const {
  for (const auto& a : attrs)
    if (a.name == n) return &a;
  return nullptr;
}
const BlockSchema* BlockSchema::block(std::string_view n) const {
  for (const auto& b : blocks)
    if (b.name == n) return &b;
  return nullptr;
}
const EntriesSchema* BlockSchema::entry(std::string_view n) const {
  for (const auto& e : entries)
    if (e.name == n) return &e;
  return nullptr;
}
std::vector<std::string> BlockSchema::member_names() const {
  std::vector<std::string> out;
  for (const auto& a : attrs) out.push_back(a.name);
  for (const auto& b : blocks) out.push_back(b.name);
  for (const auto& e : entries) out.push_back(e.name);
  return out;
}
bool KindSchema::has_trait(std::string_view t) const {
  return std::find(traits.begin(), traits.end(), t) != traits.end();
}
const OutputSchema* KindSchema::output(std::string_view n) const {
  for (const auto& o : outputs)
    if (o.name == n) return &o;
  return nullptr;
}
std::vector<std::string> KindSchema::output_names() const {
  std::vector<std::string> out;
  for (const auto& o : outputs) out.push_back(o.name);
  return out;
}
const KindSchema* Schemas::find(std::string_view kind) const {
  for (const auto& k : kinds)
    if (k.name == kind) return &k;
  return nullptr;
}
std::vector<std::string> Schemas::kind_names() const {
  std::vector<std::string> out;
  for (const auto& k : kinds) out.push_back(k.name);
  return out;
}

namespace {

const std::vector<std::string> kTraits = {"workload",  "taggable", "reachable",  "stateful",
                                          "exposable", "secret",   "environment"};

class SchemaReader {
 public:
  explicit SchemaReader(Diagnostics& diags) : diags_(diags), checker_(diags, nullptr) {}

  void fail(const SourceRange& r, const std::string& what) { diags_.report(DiagKind::SchemaError, r, what); }

  std::optional<std::string> string_of(const ast::Attribute& a) {
    auto* s = a.value->as<ast::StringLit>();
    auto plain = s ? s->plain() : std::nullopt;
    if (!plain) fail(a.value->range, fmt::format("`{}` must be a plain string", a.key.name));
    return plain;
  }
  std::optional<std::string> word_of(const ast::Attribute& a) {
    auto* r = a.value->as<ast::RefExpr>();
    if (r && r->path.size() == 1) return r->path[0].name;
    fail(a.value->range, fmt::format("`{}` must be a bare word", a.key.name));
    return std::nullopt;
  }
  std::vector<std::string> words_of(const ast::Attribute& a) {
    std::vector<std::string> out;
    auto* l = a.value->as<ast::ListExpr>();
    if (!l) {
      fail(a.value->range, fmt::format("`{}` must be a list of bare words", a.key.name));
      return out;
    }
    for (const auto& item : l->items) {
      auto* r = item->as<ast::RefExpr>();
      if (r && r->path.size() == 1)
        out.push_back(r->path[0].name);
      else
        fail(item->range, "expected a bare word");
    }
    return out;
  }
  bool bool_of(const ast::Attribute& a) {
    auto* b = a.value->as<ast::BoolLit>();
    if (!b) fail(a.value->range, fmt::format("`{}` must be true or false", a.key.name));
    return b && b->value;
  }
  std::optional<Type> type_of(const ast::Attribute& a) {
    std::string error;
    auto t = parse_type(*a.value, error);
    if (!t) fail(a.value->range, error);
    return t;
  }

  AttrSchema attr(const ast::Block& b) {
    AttrSchema s;
    s.name = b.name ? b.name->name : "";
    s.where = b.range;
    const ast::Attribute* def = nullptr;
    const ast::Attribute* min = nullptr;
    const ast::Attribute* max = nullptr;
    bool has_type = false;
    for (const auto& m : b.members) {
      auto* a = std::get_if<ast::Attribute>(&m);
      if (!a) {
        fail(ast::member_range(m), "an `attr` holds only type, doc, required, default, min and max");
        continue;
      }
      const std::string& k = a->key.name;
      if (k == "type") {
        if (auto t = type_of(*a)) s.type = *t, has_type = true;
      } else if (k == "doc") {
        s.doc = string_of(*a).value_or("");
      } else if (k == "name") {
        // For keys that are keywords of the language: `attr trigger { name = "on" … }`.
        s.name = string_of(*a).value_or(s.name);
      } else if (k == "required") {
        s.required = bool_of(*a);
      } else if (k == "default") {
        def = a;
      } else if (k == "min") {
        min = a;
      } else if (k == "max") {
        max = a;
      } else {
        fail(a->key.range, fmt::format("unknown attr setting `{}`", k));
      }
    }
    if (!has_type) fail(b.range, fmt::format("attr `{}` has no type", s.name));
    if (s.doc.empty()) fail(b.range, fmt::format("attr `{}` has no doc", s.name));
    if (def && s.required) fail(def->range, "an attribute is either required or has a default");
    if (has_type) {
      // Bounds are of the element type: `range(cpu)` has cpu bounds.
      Type bound = s.type.is(TypeTag::Range) || s.type.is(TypeTag::List) ? s.type.args[0] : s.type;
      if (def) s.default_value = checker_.check(*def->value, s.type, s.name);
      if (min) s.min = checker_.check(*min->value, bound, s.name + " (min)");
      if (max) s.max = checker_.check(*max->value, bound, s.name + " (max)");
      if (s.default_value) checker_.check_bounds(*s.default_value, s);
    }
    return s;
  }

  // The members shared by `kind` and `block`: attr, block, entries; `extra` takes the rest.
  using Extra = std::function<bool(const ast::Attribute&)>;
  void body(const ast::Block& b, BlockSchema& s, const Extra& extra) {
    for (const auto& m : b.members) {
      if (auto* a = std::get_if<ast::Attribute>(&m)) {
        const std::string& k = a->key.name;
        if (k == "doc")
          s.doc = string_of(*a).value_or("");
        else if (k == "order")
          s.order = words_of(*a);
        else if (k == "required")
          s.required = bool_of(*a);
        else if (k == "repeated")
          s.repeated = bool_of(*a);
        else if (k == "name") {
          auto w = word_of(*a).value_or("");
          if (w == "required")
            s.name_rule = NameRule::Required;
          else if (w == "optional")
            s.name_rule = NameRule::Optional;
          else if (w == "forbidden")
            s.name_rule = NameRule::Forbidden;
          else
            fail(a->value->range, "`name` is required, optional or forbidden");
        } else if (!extra(*a))
          fail(a->key.range, fmt::format("unknown setting `{}`", k));
        continue;
      }
      auto* bp = std::get_if<std::unique_ptr<ast::Block>>(&m);
      if (!bp) {
        fail(ast::member_range(m), "overlays have no meaning in a schema");
        continue;
      }
      const ast::Block& inner = **bp;
      if (!inner.name) {
        fail(inner.range, fmt::format("`{}` needs a name", inner.kind.name));
        continue;
      }
      const std::string& name = inner.name->name;
      bool is_output = inner.kind.name == "output";
      if (!is_output && (s.attr(name) || s.block(name) || s.entry(name)))
        fail(inner.name->range, fmt::format("`{}` declared twice", name));
      if (is_output && current_ && current_->output(name))
        fail(inner.name->range, fmt::format("output `{}` declared twice", name));
      if (inner.kind.name == "attr") {
        s.attrs.push_back(attr(inner));
        if (s.attrs.back().name != name && (s.attr(s.attrs.back().name) != &s.attrs.back()))
          fail(inner.range, fmt::format("`{}` declared twice", s.attrs.back().name));
      } else if (inner.kind.name == "block") {
        BlockSchema child;
        child.name = name;
        KindSchema* outer = current_;  // outputs belong to the kind, not to nested blocks
        current_ = nullptr;
        body(inner, child, [](const ast::Attribute&) { return false; });
        current_ = outer;
        if (child.doc.empty()) fail(inner.range, fmt::format("block `{}` has no doc", name));
        for (const auto& o : child.order)
          if (!child.attr(o)) fail(inner.range, fmt::format("order names `{}`, which is not an attr of the block", o));
        s.blocks.push_back(std::move(child));
      } else if (inner.kind.name == "entries") {
        EntriesSchema e;
        e.name = name;
        for (const auto& em : inner.members) {
          auto* a = std::get_if<ast::Attribute>(&em);
          if (!a) {
            fail(ast::member_range(em), "`entries` holds only type, key and doc");
            continue;
          }
          if (a->key.name == "type") {
            if (auto t = type_of(*a)) e.type = *t;
          } else if (a->key.name == "doc") {
            e.doc = string_of(*a).value_or("");
          } else if (a->key.name == "key") {
            auto w = word_of(*a).value_or("");
            e.key = w == "env_var"          ? KeyRule::EnvVar
                    : w == "label_key"      ? KeyRule::LabelKey
                    : w == "annotation_key" ? KeyRule::AnnotationKey
                    : w == "mount_path"     ? KeyRule::MountPath
                                            : KeyRule::Any;
            if (w != "env_var" && w != "label_key" && w != "annotation_key" && w != "mount_path" && w != "any")
              fail(a->value->range, "key is env_var, label_key, annotation_key, mount_path or any");
          } else {
            fail(a->key.range, fmt::format("unknown entries setting `{}`", a->key.name));
          }
        }
        s.entries.push_back(std::move(e));
      } else if (!extra_block(inner)) {
        fail(inner.kind.range, fmt::format("expected attr, block, entries or output, found `{}`", inner.kind.name));
      }
    }
  }

  bool extra_block(const ast::Block& b) {
    if (b.kind.name != "output" || !current_) return false;
    OutputSchema o;
    o.name = b.name->name;
    for (const auto& m : b.members) {
      auto* a = std::get_if<ast::Attribute>(&m);
      if (a && a->key.name == "type") {
        if (auto t = type_of(*a)) o.type = *t;
      } else if (a && a->key.name == "doc") {
        o.doc = string_of(*a).value_or("");
      } else {
        fail(ast::member_range(m), "an `output` holds only type and doc");
      }
    }
    current_->outputs.push_back(std::move(o));
    return true;
  }

  std::optional<KindSchema> kind(const ast::File& f, std::string_view file_name) {
    const ast::Block* b = nullptr;
    for (const auto& item : f.items) {
      auto* bp = std::get_if<std::unique_ptr<ast::Block>>(&item);
      if (!bp || b || (*bp)->kind.name != "kind") {
        fail(ast::top_level_range(item), "a schema file holds exactly one `kind NAME { … }` block");
        return std::nullopt;
      }
      b = bp->get();
    }
    if (!b || !b->name || b->name->name != file_name) {
      fail(b ? b->range : SourceRange{}, fmt::format("the kind must be named after its file, `{}`", file_name));
      return std::nullopt;
    }
    KindSchema k;
    k.name = b->name->name;
    k.where = b->range;
    k.name_rule = NameRule::Required;
    current_ = &k;
    body(*b, k, [&](const ast::Attribute& a) {
      if (a.key.name == "count") {
        auto w = word_of(a).value_or("many");
        k.many = w != "one";
        if (w != "one" && w != "many") fail(a.value->range, "`count` is one or many");
        return true;
      }
      if (a.key.name == "traits") {
        k.traits = words_of(a);
        for (const auto& t : k.traits)
          if (std::find(kTraits.begin(), kTraits.end(), t) == kTraits.end())
            fail(a.value->range, fmt::format("unknown trait `{}`", t));
        return true;
      }
      return false;
    });
    current_ = nullptr;
    if (k.doc.empty()) fail(b->range, fmt::format("kind `{}` has no doc", k.name));
    return k;
  }

 private:
  Diagnostics& diags_;
  ValueChecker checker_;
  KindSchema* current_ = nullptr;
};

// `enabled` is the same member of every resource kind, and resolution (not a backend) acts on it:
// written once here rather than copied into twelve schema files.
void add_enabled(KindSchema& k) {
  // A `config` creates nothing, so there is nothing to disable: a workload drops an include instead.
  if (!k.many || k.name == "environment" || k.name == "config") return;
  AttrSchema a;
  a.name = "enabled";
  a.type.tag = TypeTag::Bool;
  a.doc = "Whether this " + k.name +
          " exists, usually set per environment or target: `enabled = false` with `on dev { enabled = true }` "
          "makes a resource of the dev environment only. Unset, it exists everywhere. A disabled resource is "
          "left out of that environment's graph and of everything generated from it; a reference to it from a "
          "resource that exists there is an error (E0443), so the referring value needs an overlay too.";
  k.attrs.insert(k.attrs.begin(), std::move(a));
}

}  // namespace

Schemas parse_schemas(SourceManager& sources, Diagnostics& diags) {
  Schemas out;
  SchemaReader reader(diags);
  for (const auto& f : embedded_kinds()) {
    FileId id = sources.add(fmt::format("<std>/kinds/{}.plat", f.name), std::string(f.content), true);
    auto parsed = parse::parse_file(sources, id);
    bool bad = parsed.diags.has_errors();
    diags.append(std::move(parsed.diags));
    if (bad) continue;
    if (auto k = reader.kind(parsed.file, f.name)) {
      add_enabled(*k);
      out.kinds.push_back(std::move(*k));
    }
  }
  std::sort(out.kinds.begin(), out.kinds.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  return out;
}

}  // namespace platc::sema
