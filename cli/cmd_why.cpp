// platc why RESOURCE.ATTR --env ENV: where an attribute's value comes from — the stdlib default,
// the base block, the overlays — rendered like diagnostics with the source lines.
#include <fmt/format.h>

#include <cstdio>

#include "cli/common.h"
#include "compiler/diag/render.h"
#include "compiler/graph/render.h"
#include "compiler/sema/schema.h"

namespace platc::cli {
namespace {

// Whether `path` ("replicas", "autoscale.min", "panel.freshness.expr", "env.URL") names a member of
// the kind at all, so that a path with no value can be told from a path that does not exist.
bool schema_has_path(const sema::BlockSchema& schema, std::string_view path) {
  std::string_view head = path.substr(0, path.find('.'));
  std::string_view rest = head.size() < path.size() ? path.substr(head.size() + 1) : std::string_view{};
  if (schema.attr(head)) return rest.empty();
  if (schema.entry(head)) return rest.find('.') == std::string_view::npos;
  const sema::BlockSchema* block = schema.block(head);
  if (!block) return false;
  if (block->name_rule == sema::NameRule::Required && !rest.empty()) {  // `panel freshness { … }`
    std::size_t dot = rest.find('.');
    rest = dot == std::string_view::npos ? std::string_view{} : rest.substr(dot + 1);
  }
  return rest.empty() || schema_has_path(*block, rest);
}

// The steps of one attribute, oldest first, as codeless notes.
Diagnostics steps(const graph::Node& n, const std::string& path, const graph::Attr& a) {
  Diagnostics out;
  for (std::size_t k = 0; k < a.history.size(); ++k) {
    const auto& step = a.history[k];
    bool wins = k + 1 == a.history.size();
    std::string what;
    switch (step.origin) {
      case graph::Origin::Default:
        what = fmt::format("the default of `{}` for every {}", path, n.kind);
        break;
      case graph::Origin::Base:
        what = step.from.empty() ? fmt::format("set in {} `{}`", n.kind, n.id)
                                 : fmt::format("included from config `{}`", step.from);
        break;
      case graph::Origin::Overlay:
        what = fmt::format("{} by `on {}`{}", k == 0 ? "set" : "overridden",
                           step.target.empty()        ? step.environment
                           : step.environment.empty() ? step.target
                                                      : fmt::format("{} {{ on {} }}", step.target, step.environment),
                           step.from.empty() ? "" : fmt::format(" in config `{}`", step.from));
        break;
    }
    Diagnostic d;
    d.codeless = true;
    d.severity = Severity::Note;
    // A value that looks like a secret is redacted in every step (the winner's display() is).
    std::string written = a.value.holds_secret() ? a.value.display() : step.value->display();
    d.message = fmt::format("{}: {}", what, written);
    // `"api.${env.domain}"` as written, and what it became in this environment.
    if (wins && written != a.value.display()) d.message += fmt::format(", which resolves to {}", a.value.display());
    d.primary = step.range;
    d.primary_label = wins ? "this value wins" : "overridden below";
    out.add(std::move(d));
  }
  return out;
}

}  // namespace

Runner register_why(CLI::App& app) {
  struct State {
    std::string query;
    std::vector<std::string> paths;
    SelectionFlags sel;
    std::string format = "human";
    OutputOptions out;
  };
  auto s = std::make_shared<State>();
  auto* cmd =
      app.add_subcommand("why", "Explain where an attribute's value comes from: default, base block or overlay");
  cmd->add_option("attribute", s->query, "RESOURCE.ATTRIBUTE, e.g. backend.autoscale.min (or just RESOURCE)")
      ->required();
  cmd->add_option("paths", s->paths, "Platform directories or .plat files (default: .)");
  add_selection_options(cmd, s->sel, EnvDefault::First, "", true);
  cmd->add_option("--format", s->format, "human (default) or json")->check(CLI::IsMember({"human", "json"}));
  add_output_options(cmd, s->out, false);
  return [s]() {
    SourceManager sources;
    auto c = compile(sources, s->paths);
    if (c.exit_code() != kOk) {
      print_diagnostics(c.diags, sources, s->out);
      return c.exit_code();
    }
    auto sel = select(c.model, s->sel, EnvDefault::First);
    if (!sel || sel->environments.empty()) return int(kUsageError);
    const std::string env = sel->environments.front();
    const graph::Graph* g = c.model.graph_for(env, sel->target);
    if (!g) return int(kUsageError);
    std::string resource = s->query.substr(0, s->query.find('.'));
    std::string path = s->query.size() > resource.size() ? s->query.substr(resource.size() + 1) : "";
    const graph::Node* node = g->find(resource);
    if (!node) {
      std::vector<std::string> ids;
      for (const auto& n : g->nodes) ids.push_back(n.id);
      auto best = closest_match(resource, ids);
      std::fprintf(stderr, "error: no resource `%s` in this platform%s\n", resource.c_str(),
                   best ? fmt::format("; did you mean `{}`?", *best).c_str() : "");
      return int(kUsageError);
    }
    // An attribute, or every attribute below a block (`backend.autoscale`) or of the resource.
    std::vector<std::pair<std::string, const graph::Attr*>> chosen;
    for (const auto& [p, a] : node->attrs)
      if (path.empty() || p == path || p.starts_with(path + ".")) chosen.emplace_back(p, &a);
    if (chosen.empty()) {
      std::vector<std::string> paths;
      for (const auto& [p, a] : node->attrs) paths.push_back(p);
      auto best = closest_match(path, paths);
      std::string hint = best ? fmt::format("; did you mean `{}.{}`?", node->id, *best) : "";
      const sema::KindSchema* kind = c.model.schemas.find(node->kind);
      if (kind && !schema_has_path(*kind, path))
        std::fprintf(stderr, "error: %s `%s` has no attribute `%s`%s\n", node->kind.c_str(), node->id.c_str(),
                     path.c_str(), hint.c_str());
      else
        std::fprintf(stderr, "error: %s `%s` has no value for `%s` in environment `%s`%s\n", node->kind.c_str(),
                     node->id.c_str(), path.c_str(), env.c_str(), hint.c_str());
      return int(kUsageError);
    }
    std::string text;
    if (s->format == "json") {
      nlohmann::json out = nlohmann::json::array();
      for (const auto& [p, a] : chosen) {
        nlohmann::json history = nlohmann::json::array();
        for (const auto& step : a->history)
          history.push_back({{"origin", graph::origin_name(step.origin)},
                             {"environment", step.environment},
                             {"target", step.target},
                             {"from", step.from},
                             {"value", a->value.holds_secret() ? a->value.display() : step.value->display()},
                             {"location", graph::location_of(step.range, sources, c.load.platform.root)}});
        out.push_back({{"resource", node->id},
                       {"attribute", p},
                       {"environment", env},
                       {"target", g->target},
                       {"value", a->value.display()},
                       {"history", history}});
      }
      text = out.dump(2) + "\n";
    } else {
      bool color = s->out.color == "always";
      for (const auto& [p, a] : chosen) {
        text += fmt::format("{}.{} = {} in environment `{}`{}\n", node->id, p, a->value.display(), env,
                            c.model.targets.size() > 1 ? fmt::format(" on `{}`", g->target) : "");
        Diagnostics chain = steps(*node, p, *a);
        for (const auto& d : chain.items()) text += render_human_one(d, sources, color);
        if (p == "replicas" && node->has_block("autoscale"))
          text += fmt::format(
              "note: `autoscale` is set in environment `{}`: the HorizontalPodAutoscaler owns the replica count "
              "(between `autoscale.min` and `autoscale.max`), and `replicas` is not written to the Deployment\n",
              env);
        text += "\n";
      }
    }
    std::fwrite(text.data(), 1, text.size(), stdout);
    return int(kOk);
  };
}

}  // namespace platc::cli
