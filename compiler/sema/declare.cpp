// Declarations: one per top-level block. Resources share one namespace (a reference is a bare
// name), so two blocks of different kinds may not share a name either.
#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "compiler/sema/internal.h"
#include "compiler/support/names.h"

namespace platc::sema {
namespace {

// Words a reference's first part can mean besides a resource.
const std::vector<std::string> kReserved = {"env", "true", "false"};

bool has_connection_secret(const std::string& kind) {
  return kind == "database" || kind == "cache" || kind == "topic" || kind == "queue" || kind == "bucket";
}

// Workloads, secrets and dashboards become Kubernetes objects named after their blocks, and every
// environment becomes the namespace `<platform>-<environment>`: names that Kubernetes would
// reject, or two blocks that would become one object, are reported here, at check time, instead
// of when `platc build` writes the manifests.
void check_kubernetes_names(const Declarations& decls, Diagnostics& diags) {
  std::map<std::string, const Decl*> seen;  // group/spelling -> the first block
  const Decl* platform = nullptr;
  for (const auto& d : decls.decls) {
    if (d.kind == "platform") platform = &d;
    if (d.name.empty() || !d.block || !d.block->name) continue;
    if (has_connection_secret(d.kind)) {
      // Workloads read its deploy-time outputs from the Secret `<name>-connection`, and a
      // pre-deploy job from its copy `<name>-connection-hook`.
      std::string secret = k8s_spelling(d.name) + "-connection-hook";
      if (std::string why = name_problem(secret, 63); !why.empty())
        diags.report(DiagKind::NotKubernetesName, d.block->name->range, d.name, "its connection secret " + why)
            .label("too long for the name of its connection secret")
            .note(
                "the outputs of databases, caches, topics, queues and buckets reach the workloads through "
                "the Kubernetes Secret `<name>-connection` (and `<name>-connection-hook` for pre-deploy "
                "jobs): names of at most 47 characters fit")
            .with_help("shorten the name");
      continue;
    }
    if (!becomes_k8s_object(d.kind)) continue;
    std::string spelled = k8s_spelling(d.name);
    const SourceRange& where = d.block->name->range;
    if (std::string why = name_problem(spelled, kMaxObjectName); !why.empty()) {
      auto& r = diags.report(DiagKind::NotKubernetesName, where, d.name, why)
                    .label(fmt::format("becomes `{}`", spelled))
                    .note(
                        "a Kubernetes name is lower-case letters, digits and `-`, starting and ending with a "
                        "letter or digit; platc lowers the case and turns `_` into `-`");
      if (std::string better = name_suggestion(spelled, kMaxObjectName); !better.empty() && better != spelled)
        r.with_help(fmt::format("rename it, for example to `{}`", better));
      continue;
    }
    std::string group = d.kind == "secret" ? "secret" : d.kind == "dashboard" ? "dashboard" : "workload";
    auto [it, fresh] = seen.emplace(group + "/" + spelled, &d);
    if (!fresh)
      diags.report(DiagKind::KubernetesNameClash, where, it->second->name, d.name, spelled)
          .label(fmt::format("{} `{}` becomes `{}`", d.kind, d.name, spelled))
          .also(it->second->block->name->range, fmt::format("and so does {} `{}`", it->second->kind, it->second->name))
          .note("both would write the same Kubernetes objects, and one would replace the other")
          .with_help("rename one of them");
  }
  if (!platform || platform->name.empty()) return;
  bool any_env = false;
  for (const auto& d : decls.decls) {
    if (d.kind != "environment" || !d.block || !d.block->name) continue;
    any_env = true;
    std::string ns = k8s_spelling(platform->name + "-" + d.name);
    if (std::string why = name_problem(ns, 63); !why.empty())
      diags.report(DiagKind::NotKubernetesName, d.block->name->range, platform->name + "-" + d.name, why)
          .label(fmt::format("the namespace of environment `{}` would be `{}`", d.name, ns))
          .also(platform->block->name->range, "the platform's name is the first part")
          .note("every environment gets the namespace `<platform>-<environment>`, at most 63 characters")
          .with_help("shorten the platform's or the environment's name");
  }
  if (!any_env && platform->block && platform->block->name) {
    std::string ns = k8s_spelling(platform->name + "-default");
    if (std::string why = name_problem(ns, 63); !why.empty())
      diags.report(DiagKind::NotKubernetesName, platform->block->name->range, platform->name + "-default", why)
          .label(fmt::format("the namespace would be `{}`", ns))
          .note(
              "a platform without environments is built as environment `default`, namespace "
              "`<platform>-default`, at most 63 characters")
          .with_help("shorten the platform's name");
  }
}

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
  check_kubernetes_names(out, diags);
  return out;
}

}  // namespace platc::sema
