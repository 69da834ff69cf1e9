// Declarations: one per top-level block. Resources share one namespace (a reference is a bare
// name), so two blocks of different kinds may not share a name either.
#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "compiler/sema/internal.h"

namespace platc::sema {
namespace {

// Words a reference's first part can mean besides a resource.
const std::vector<std::string> kReserved = {"env", "true", "false"};

}  // namespace

Declarations declare(const std::vector<const ast::File*>& files, const Schemas& schemas, Diagnostics& diags) {
  Declarations out;
  out.env_schema = schemas.find("environment");
  std::map<std::string, SourceRange> singletons;  // kind -> the first block's header
  for (const ast::File* f : files) {
    for (const auto& item : f->items) {
      auto* bp = std::get_if<std::unique_ptr<ast::Block>>(&item);
      if (!bp) continue;
      const ast::Block& b = **bp;
      const KindSchema* k = schemas.find(b.kind.name);
      if (!k) {
        auto& d = diags.report(DiagKind::UnknownKind, b.kind.range, b.kind.name).label("not a kind platc knows");
        if (auto best = closest_match(b.kind.name, schemas.kind_names()))
          d.with_help(fmt::format("did you mean `{}`?", *best)).fix(b.kind.range, *best);
        else
          d.note("the kinds are listed in docs/kinds.md");
        continue;
      }
      SourceRange header = b.name ? SourceRange::cover(b.kind.range, b.name->range) : b.kind.range;
      if (b.name && k->name_rule == NameRule::Forbidden) {
        diags.report(DiagKind::BlockNameForbidden, b.name->range, k->name)
            .label("remove this name")
            .note(fmt::format("a platform has at most one `{}` block, so it needs no name", k->name))
            .with_help(fmt::format("write `{} {{ … }}`", k->name))
            .fix(SourceRange{b.name->range.file, b.kind.range.end_line, b.kind.range.end_col, b.name->range.end_line,
                             b.name->range.end_col},
                 "");
        continue;
      }
      if (!b.name && k->name_rule == NameRule::Required) {
        diags.report(DiagKind::BlockNameRequired, b.kind.range, k->name)
            .label("name missing")
            .with_help(fmt::format("write `{} NAME {{ … }}`; other blocks refer to it by that name", k->name));
        continue;
      }
      if (!k->many) {
        auto [it, fresh] = singletons.emplace(k->name, header);
        if (!fresh) {
          diags.report(DiagKind::SecondSingleton, header, k->name)
              .label("second one")
              .also(it->second, "first one here")
              .with_help("merge the two blocks into one");
          continue;
        }
      }
      Decl d;
      d.kind = k->name;
      d.name = b.name ? b.name->name : "";
      d.id = b.name ? d.name : k->name;
      d.schema = k;
      d.block = &b;
      d.header = header;
      if (b.name) {
        if (std::find(kReserved.begin(), kReserved.end(), d.name) != kReserved.end()) {
          diags.report(DiagKind::ReservedName, b.name->range, d.name)
              .label("reserved")
              .note("`env` always means the environment being built, as in `${env.domain}`");
          continue;
        }
        if (const Declared* first = out.find(d.name)) {
          diags.report(DiagKind::DuplicateName, b.name->range, d.name)
              .label(fmt::format("{} `{}` declared again here", k->name, d.name))
              .also(first->where, fmt::format("first declared here as {} `{}`", first->schema->name, first->name))
              .note("every resource of a platform shares one namespace: references are bare names")
              .with_help("rename one of them");
          continue;
        }
        out.add({d.name, k, b.name->range});
      }
      out.decls.push_back(std::move(d));
    }
  }
  return out;
}

}  // namespace platc::sema
