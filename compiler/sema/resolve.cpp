// Resolution: for each environment, merge the stdlib defaults, the base blocks and the overlays
// into graph nodes (remembering every step as provenance), substitute the values of the
// environment (`${env.domain}`; `${backend.name}` is the contract's, resolved by the backends), check what only the
// merged value can tell (required attributes, min <= max), then derive the edges and look for dependency cycles.
#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "compiler/sema/internal.h"
#include "compiler/sema/sema.h"
#include "compiler/support/names.h"

namespace platc::sema {

using graph::Attr;
using graph::Edge;
using graph::EdgeKind;
using graph::Graph;
using graph::Node;
using graph::Origin;
using graph::Value;
using graph::ValueKind;

const graph::Graph* Model::graph_for(const std::string& environment, const std::string& target) const {
  for (const auto& g : graphs)
    if (g.environment == environment && (target.empty() || g.target == target)) return &g;
  return nullptr;
}

namespace {

int kind_rank(const std::string& kind) {
  static const std::vector<std::string> kOrder = {
      "platform", "environment", "secret", "config",   "database", "cache",     "topic",  "queue", "bucket",
      "service",  "worker",      "job",    "pipeline", "alert",    "dashboard", "budget", "policy"};
  auto it = std::find(kOrder.begin(), kOrder.end(), kind);
  return it == kOrder.end() ? static_cast<int>(kOrder.size()) : static_cast<int>(it - kOrder.begin());
}

class Resolver {
 public:
  Resolver(const Declarations& decls, Diagnostics& diags) : decls_(decls), diags_(diags) {}

  // The graph of one environment on one target (`target` empty: one graph for every target,
  // when no overlay names a target).
  Graph build(const std::string& env, const std::string& target, const std::string& platform) {
    Graph g;
    g.platform = platform;
    g.environment = env;
    g.target = target;
    env_ = env;
    target_ = target;
    env_decl_ = environment_decl(env);
    disabled_.clear();
    for (const auto& d : decls_.decls) {
      Node n = node(d);
      if (const Attr* on = n.attr("enabled"); on && on->value.kind == ValueKind::Bool && !on->value.b) {
        disabled_.emplace(n.id, std::pair{on->history.back().range, !on->history.back().target.empty()});
        continue;
      }
      g.nodes.push_back(std::move(n));
    }
    std::stable_sort(g.nodes.begin(), g.nodes.end(), [](const Node& a, const Node& b) {
      int ra = kind_rank(a.kind), rb = kind_rank(b.kind);
      if (ra != rb) return ra < rb;
      if (a.kind != b.kind) return a.kind < b.kind;
      return a.id < b.id;
    });
    // Edges first: substitution turns `${backend.name}` into text, and an alert that names a
    // resource still refers to it.
    edges(g);
    cycles(g);
    for (auto& n : g.nodes)
      for (auto& [path, attr] : n.attrs) substitute(attr.value, n);
    return g;
  }

  // Required attributes missing, per (declaration, path): the environments where they are.
  std::map<std::pair<const Decl*, std::string>, std::vector<std::string>> missing;

  const Decl* environment_decl(const std::string& env) const {
    for (const auto& d : decls_.decls)
      if (d.kind == "environment" && d.name == env) return &d;
    return nullptr;
  }

 private:
  Node node(const Decl& d) {
    Node n;
    n.kind = d.kind;
    n.name = d.name;
    n.id = d.id;
    n.where = d.header;
    if (d.block && d.block->name) n.name_where = d.block->name->range;
    n.traits = d.schema->traits;
    // Which nested blocks exist in this environment.
    std::vector<const BlockUse*> present;
    for (const auto& b : d.blocks)
      if (b.scope.applies(env_, target_) && std::find(n.blocks.begin(), n.blocks.end(), b.path) == n.blocks.end()) {
        n.blocks.push_back(b.path);
        present.push_back(&b);
      }
    std::sort(n.blocks.begin(), n.blocks.end());
    // Defaults first: the kind's own, then those of each present block.
    defaults(n, *d.schema, "");
    for (const BlockUse* b : present)
      if (b->schema) defaults(n, *b->schema, b->path + ".");
    // Included groups before the block's own settings, so that its own `env` wins.
    for (const Decl* c : included(d))
      for (const auto& s : c->settings) apply(n, s, c->id);
    for (const auto& s : d.settings) apply(n, s, "");
    // What only the merged values can tell, of a resource that exists here.
    if (const Attr* on = n.attr("enabled"); on && on->value.kind == ValueKind::Bool && !on->value.b) return n;
    required(d, n, *d.schema, "");
    order(d, n, *d.schema, "", d.header);
    for (const BlockUse* b : present) {
      if (!b->schema) continue;
      required(d, n, *b->schema, b->path + ".");
      order(d, n, *b->schema, b->path + ".", b->range);
    }
    return n;
  }

  // One setting that applies here, on top of what the attribute had; `from` names the `config`
  // block it was included from.
  void apply(Node& n, const Setting& s, const std::string& from) {
    if (!s.scope.applies(env_, target_)) return;
    Attr& a = n.attrs[s.path];
    if (!s.shared) s.shared = std::make_shared<const graph::Value>(s.value);
    a.history.push_back({s.scope.base() ? Origin::Base : Origin::Overlay, s.scope.envs.empty() ? "" : env_, s.range,
                         s.shared, s.scope.targets.empty() ? "" : target_, from});
    a.value = s.value;
  }

  // The `config` blocks of `include = [common, tracing]` in this environment and target, in the
  // order written (a later group wins). Sema has checked that each names a config.
  std::vector<const Decl*> included(const Decl& d) const {
    const graph::Value* list = nullptr;
    for (const auto& s : d.settings)
      if (s.path == "include" && s.scope.applies(env_, target_)) list = &s.value;
    std::vector<const Decl*> out;
    if (!list) return out;
    for (const auto& item : list->items)
      if (item.kind == ValueKind::Ref)
        for (const auto& c : decls_.decls)
          if (c.kind == "config" && c.id == item.text) out.push_back(&c);
    return out;
  }

  void defaults(Node& n, const BlockSchema& s, const std::string& prefix) {
    for (const auto& a : s.attrs)
      if (a.default_value && !n.attrs.count(prefix + a.name)) {
        Attr& attr = n.attrs[prefix + a.name];
        attr.value = *a.default_value;
        // Point at `default = …` in the stdlib file: that line is the answer to "why".
        SourceRange where = a.default_value->range.valid() ? a.default_value->range : a.where;
        if (!a.shared_default) a.shared_default = std::make_shared<const graph::Value>(*a.default_value);
        attr.history.push_back({Origin::Default, "", where, a.shared_default, "", ""});
      }
  }

  void required(const Decl& d, const Node& n, const BlockSchema& s, const std::string& prefix) {
    for (const auto& a : s.attrs)
      if (a.required && !n.attrs.count(prefix + a.name)) {
        auto& envs = missing[{&d, prefix + a.name}];
        if (envs.empty() || envs.back() != env_) envs.push_back(env_);  // once per environment, not per target
      }
  }

  void order(const Decl& d, const Node& n, const BlockSchema& s, const std::string& prefix, const SourceRange& where) {
    for (std::size_t k = 0; k + 1 < s.order.size(); ++k) {
      const Attr* lo = n.attr(prefix + s.order[k]);
      const Attr* hi = n.attr(prefix + s.order[k + 1]);
      if (!lo || !hi || lo->value.kind != hi->value.kind || compare_values(lo->value, hi->value) <= 0) continue;
      SourceRange lr = lo->history.back().range, hr = hi->history.back().range;
      if (!reported_order_.insert({lr.file, lr.line, lr.col, hr.file, hr.line, hr.col}).second) continue;
      SourceRange primary = lr.valid() ? lr : hr.valid() ? hr : where;
      auto& diag = diags_.report(DiagKind::OrderViolated, primary, prefix + s.order[k], lo->value.display(),
                                 prefix + s.order[k + 1], hi->value.display(),
                                 fmt::format("{} `{}` for environment `{}`", d.kind, d.id, env_));
      diag.label(fmt::format("{} = {}", s.order[k], lo->value.display()));
      if (hr.valid() && lr.valid()) diag.also(hr, fmt::format("{} = {}", s.order[k + 1], hi->value.display()));
      diag.with_help(fmt::format("`{}` must not exceed `{}`", s.order[k], s.order[k + 1]));
    }
  }

  // `${env.domain}` is known now. `${env.region}` and `${backend.name}` depend on the target (an Azure storage
  // account's name is not an S3 bucket's), so the backends resolve it through the deployment
  // contract; `${main.host}` is known only at deploy time.
  void substitute(Value& v, const Node& owner) {
    for (auto& item : v.items) substitute(item, owner);
    for (auto& [k, item] : v.entries) substitute(item, owner);
    if (v.kind == ValueKind::Ref && v.text == "env" && !v.text2.empty() && !on_target(v.text2)) {
      std::string text = env_output(v.text2, v.range);
      SourceRange r = v.range;
      v = Value{};
      v.kind = ValueKind::String;
      v.range = r;
      v.pieces.push_back({text, "", ""});
      return;
    }
    if (v.kind != ValueKind::String) return;
    std::vector<graph::StringPiece> out;
    for (auto& p : v.pieces) {
      std::string known;
      bool is_known = false;
      if (p.ref_resource == "env" && !on_target(p.ref_output)) {
        known = env_output(p.ref_output, v.range);
        is_known = true;
      }
      if (is_known || p.ref_resource.empty()) {
        std::string text = is_known ? known : p.text;
        if (!out.empty() && out.back().ref_resource.empty())
          out.back().text += text;
        else
          out.push_back({text, "", ""});
      } else {
        out.push_back(p);
      }
    }
    (void)owner;
    v.pieces = std::move(out);
  }

  // `${env.region}` is the platform's region on the graph's target, which a graph shared by every
  // target does not know: the backends resolve it through the deployment contract.
  static bool on_target(const std::string& output) { return output == "region"; }

  std::string env_output(const std::string& output, const SourceRange& where) {
    if (output == "name") return env_;
    const Decl* e = env_decl_;
    if (e)
      for (const auto& s : e->settings)
        if (s.path == output && s.value.kind == ValueKind::String) return s.value.plain();
    if (reported_env_.insert({where.file, where.line, where.col, 0, 0, 0}).second) {
      auto& d = diags_.report(DiagKind::EnvOutputUnset, where, output, env_, output).label("used here");
      if (e) d.also(e->header, fmt::format("environment `{}` is declared here", env_));
      d.with_help(fmt::format("set `{} = …` in `environment {}`", output, env_));
    }
    return "";
  }

  static EdgeKind classify(const Node& from, const Node& to, const std::string& via, const std::string& output) {
    // Observers only name resources (a waiver names the secret it waives; nothing is read).
    bool observer = from.kind == "alert" || from.kind == "dashboard" || from.kind == "pipeline" ||
                    from.kind == "budget" || from.kind == "policy";
    if (observer) return EdgeKind::Reference;
    if (to.kind == "secret") return EdgeKind::SecretUse;
    // The env of a sidecar (`sidecar.exporter.env.DSN`) is the pod's as much as the main container's.
    bool env = via.starts_with("env.") || (via.starts_with("sidecar.") && via.find(".env.") != std::string::npos);
    // A bucket's `public_url` is an address handed to browsers: the pod itself never calls it.
    if (output == "public_url") return EdgeKind::Reference;
    if (from.has_trait("workload") && env && !output.empty() && output != "name") return EdgeKind::Network;
    // `wait_for = [api]` connects to api's port before the workload starts: traffic, even when
    // nothing in `env` reads api.
    if (from.has_trait("workload") && via == "wait_for") return EdgeKind::Network;
    // A workload that names a topic, queue, bucket … (`publishes = [orders]`) talks to it.
    if (from.has_trait("workload") && !to.has_trait("workload") && to.has_trait("reachable")) return EdgeKind::Network;
    if (output.empty()) return EdgeKind::Dependency;
    return EdgeKind::Reference;
  }

  void edges(Graph& g) {
    std::map<std::string, std::size_t> index;
    for (std::size_t k = 0; k < g.nodes.size(); ++k) index[g.nodes[k].id] = k;
    std::set<std::tuple<std::size_t, std::size_t, int, std::string>> seen;
    for (std::size_t from = 0; from < g.nodes.size(); ++from) {
      for (const auto& entry : g.nodes[from].attrs) {
        // Named references, not a structured binding: the lambda below captures `path`, which
        // clang 14 (the PLATC_FUZZ build) does not allow for a binding.
        const std::string& path = entry.first;
        const auto& attr = entry.second;
        std::vector<const Value*> refs;
        std::vector<const graph::StringPiece*> pieces;
        attr.value.collect_refs(refs, pieces);
        auto add = [&](const std::string& target, const std::string& output, const SourceRange& where) {
          auto it = index.find(target);
          if (it == index.end()) {
            if (auto off = disabled_.find(target); off != disabled_.end())
              disabled_reference(g.nodes[from], path, target, where, off->second.first, off->second.second);
            return;
          }
          EdgeKind k = classify(g.nodes[from], g.nodes[it->second], path, output);
          // A workload reading its own output (`PORT = "${api.port}"` in `api`) reads a value:
          // no traffic, so no network edge to itself.
          if (k == EdgeKind::Network && it->second == from) k = EdgeKind::Reference;
          if (seen.insert({from, it->second, static_cast<int>(k), path}).second)
            g.edges.push_back({from, it->second, k, path, output, where});
        };
        for (const Value* r : refs) add(r->text, r->text2, r->range);
        for (const auto* p : pieces) add(p->ref_resource, p->ref_output, attr.value.range);
      }
    }
    std::sort(g.edges.begin(), g.edges.end(), [](const Edge& a, const Edge& b) {
      return std::tie(a.from, a.to, a.kind, a.via) < std::tie(b.from, b.to, b.kind, b.via);
    });
  }

  void disabled_reference(const Node& from, const std::string& path, const std::string& target,
                          const SourceRange& where, const SourceRange& disabled_at, bool disabled_by_target) {
    if (!reported_disabled_.insert({where.file, where.line, where.col, 0, 0, 0}).second) return;
    // Disabled by a target's overlay: say so, or the environment looks like the culprit.
    std::string place = disabled_by_target ? fmt::format("environment `{}` on `{}`", env_, target_)
                                           : fmt::format("environment `{}`", env_);
    auto& d = diags_.report(DiagKind::DisabledReference, where, fmt::format("`{}.{}`", from.id, path), target, place)
                  .label(fmt::format("`{}` does not exist in {}", target, place));
    if (disabled_at.valid()) d.also(disabled_at, fmt::format("`{}` is disabled here", target));
    d.with_help(disabled_by_target
                    ? fmt::format("set `{}` in an overlay for the targets where `{}` exists (`on {} {{ … }}` for "
                                  "the others), or enable `{}` on `{}`",
                                  path, target, target_, target, target_)
                    : fmt::format("set `{}` in an overlay for the environments where `{}` exists, or enable `{}` "
                                  "in `{}`",
                                  path, target, target, env_));
  }

  // Dependency edges must form a DAG (they decide what is created first). Network edges may be
  // cyclic: two services calling each other is normal, their names are known in advance.
  void cycles(const Graph& g) {
    std::vector<std::vector<const Edge*>> out(g.nodes.size());
    for (const auto& e : g.edges)
      if (e.kind == EdgeKind::Dependency) out[e.from].push_back(&e);
    std::vector<int> state(g.nodes.size(), 0);  // 0 new, 1 on the stack, 2 done
    // Iterative depth-first search: a chain of thousands of resources must not overflow the stack.
    std::vector<const Edge*> stack;                           // the edges of the current path
    std::vector<std::pair<std::size_t, std::size_t>> frames;  // (node, next edge to try)
    for (std::size_t root = 0; root < g.nodes.size(); ++root) {
      if (state[root] != 0) continue;
      frames.push_back({root, 0});
      state[root] = 1;
      while (!frames.empty()) {
        auto& [n, next] = frames.back();
        if (next == out[n].size()) {
          state[n] = 2;
          frames.pop_back();
          if (!stack.empty()) stack.pop_back();
          continue;
        }
        const Edge* e = out[n][next++];
        if (state[e->to] == 1) {
          stack.push_back(e);
          report_cycle(g, stack, e->to);
          stack.pop_back();
        } else if (state[e->to] == 0) {
          stack.push_back(e);
          state[e->to] = 1;
          frames.push_back({e->to, 0});
        }
      }
    }
  }

  void report_cycle(const Graph& g, const std::vector<const Edge*>& stack, std::size_t start) {
    std::size_t first = stack.size();
    while (first > 0 && stack[first - 1]->from != start) --first;
    if (first == 0 && stack.front()->from != start) return;
    std::vector<const Edge*> loop(stack.begin() + static_cast<std::ptrdiff_t>(first - 1), stack.end());
    std::string full = g.nodes[start].id;
    for (const Edge* e : loop) full += " -> " + g.nodes[e->to].id;
    if (!reported_cycles_.insert(full).second) return;
    // A long cycle is shown by its ends; every edge of it is still a label, up to a limit.
    constexpr std::size_t kShown = 8;
    std::string path = full;
    if (loop.size() > kShown) {
      path = g.nodes[start].id;
      for (std::size_t k = 0; k < kShown / 2; ++k) path += " -> " + g.nodes[loop[k]->to].id;
      path += fmt::format(" -> … ({} more) …", loop.size() - kShown);
      for (std::size_t k = loop.size() - kShown / 2; k < loop.size(); ++k) path += " -> " + g.nodes[loop[k]->to].id;
    }
    auto& d = diags_.report(DiagKind::DependencyCycle, loop.front()->where, path)
                  .label(fmt::format("`{}` depends on `{}` here", g.nodes[loop.front()->from].id,
                                     g.nodes[loop.front()->to].id));
    for (std::size_t k = 1; k < loop.size() && k < kShown; ++k)
      d.also(loop[k]->where,
             fmt::format("`{}` depends on `{}` here", g.nodes[loop[k]->from].id, g.nodes[loop[k]->to].id));
    if (loop.size() > kShown)
      d.note(fmt::format("the cycle has {} edges; the first {} are shown", loop.size(), kShown));
    d.note("each resource in a dependency chain must exist before the ones that need it; a cycle has no first one");
    d.with_help("remove one of these references");
  }

  const Declarations& decls_;
  Diagnostics& diags_;
  std::string env_, target_;
  const Decl* env_decl_ = nullptr;
  // id -> where `enabled = false` won in this graph, and whether a target's overlay set it
  std::map<std::string, std::pair<SourceRange, bool>> disabled_;
  std::set<std::tuple<FileId, std::uint32_t, std::uint32_t, FileId, std::uint32_t, std::uint32_t>> reported_order_,
      reported_env_, reported_disabled_;
  std::set<std::string> reported_cycles_;
};

}  // namespace

SemaResult analyze(const driver::Platform& platform, SourceManager& sources) {
  SemaResult r;
  r.model.schemas = load_schemas(sources, r.diags);
  std::vector<const ast::File*> files;
  for (const auto& f : platform.files)
    if (!sources.file(f.id).builtin) files.push_back(&f);  // std modules are data, not resources
  Declarations decls = declare(files, r.model.schemas, r.diags);

  std::vector<std::string> declared_envs;
  const Decl* platform_decl = nullptr;
  for (const auto& d : decls.decls) {
    if (d.kind == "environment") declared_envs.push_back(d.name);
    if (d.kind == "platform") platform_decl = &d;
  }
  // The clouds an overlay may name: the values `targets` takes.
  std::vector<std::string> clouds;
  if (const KindSchema* ps = r.model.schemas.find("platform"))
    if (const AttrSchema* t = ps->attr("targets"); t && !t->type.args.empty()) clouds = t->type.args.front().symbols;
  for (const auto& d : decls.decls)
    if (d.kind == "environment" && std::find(clouds.begin(), clouds.end(), d.name) != clouds.end())
      r.diags
          .report(DiagKind::EnvironmentNamedLikeTarget, d.block && d.block->name ? d.block->name->range : d.header,
                  d.name)
          .label("also a target cloud")
          .note(fmt::format("`on {}` would then name both the environment and the cloud", d.name))
          .with_help("name the environment after its purpose or region, such as `production` or `eu`");
  elaborate(decls, declared_envs, clouds, r.diags);

  if (!platform_decl) {
    SourceRange where;
    for (const auto* f : files)
      if (!f->items.empty()) {
        where = ast::top_level_range(f->items.front());
        where.end_line = where.line;
        where.end_col = where.col + 1;
        break;
      }
    // Files of comments only: the start of the first one (a build would have no namespace to write).
    if (!where.valid() && !files.empty()) where = SourceRange{files.front()->id, 1, 1, 1, 1};
    auto& d = r.diags.report(DiagKind::MissingPlatform, where).label("no `platform` block in any file");
    d.with_help("add `platform NAME { owner = \"team\"  targets = [aws] }`: it names the platform and its clouds");
  }
  r.model.platform = platform_decl ? platform_decl->id : "";
  r.model.environments = declared_envs.empty() ? std::vector<std::string>{"default"} : declared_envs;
  if (platform_decl)
    for (const auto& s : platform_decl->settings)
      if (s.path == "targets" && s.scope.base())
        for (const auto& t : s.value.items) r.model.targets.push_back(t.text);
  std::vector<std::string> targets = r.model.targets.empty() ? std::vector<std::string>{""} : r.model.targets;
  for (const auto& [name, where] : decls.target_overlays)
    if (!r.model.targets.empty() && std::find(targets.begin(), targets.end(), name) == targets.end()) {
      std::string list;
      for (const auto& t : targets) list += (list.empty() ? "`" : ", `") + t + "`";
      r.diags.report(DiagKind::TargetOverlayUnused, where, name)
          .label("never applies")
          .note(fmt::format("the platform is built for {}", list))
          .with_help(fmt::format("add `{}` to the platform's `targets`, or remove the overlay", name));
    }

  // One graph per environment, copied for each target, unless an overlay names a target.
  Resolver resolver(decls, r.diags);
  for (const auto& env : r.model.environments) {
    if (!decls.target_overlays.empty()) {
      for (const auto& t : targets) r.model.graphs.push_back(resolver.build(env, t, r.model.platform));
      continue;
    }
    Graph g = resolver.build(env, "", r.model.platform);
    for (std::size_t k = 0; k < targets.size(); ++k) {
      // The last target takes the graph itself: one copy fewer, none for a single target.
      r.model.graphs.push_back(k + 1 == targets.size() ? std::move(g) : g);
      r.model.graphs.back().target = targets[k];
    }
  }
  // Required attributes: one diagnostic per attribute, naming the environments only when the
  // attribute is missing in some of them but not all.
  for (const auto& [key, envs] : resolver.missing) {
    const Decl* d = key.first;
    auto& diag =
        r.diags.report(DiagKind::MissingRequired, d->header, fmt::format("{} `{}`", d->kind, d->id), key.second)
            .label(fmt::format("`{}` not set", key.second));
    if (envs.size() < r.model.environments.size()) {
      std::string list;
      for (const auto& e : envs) list += (list.empty() ? "`" : ", `") + e + "`";
      diag.note(fmt::format("it is set in some environments' overlays, but not for {}", list));
    }
    const AttrSchema* as = nullptr;
    const BlockSchema* bs = d->schema;
    std::string path = key.second;
    while (bs && path.find('.') != std::string::npos) {
      std::string head = path.substr(0, path.find('.'));
      path = path.substr(path.find('.') + 1);
      const BlockSchema* next = bs->block(head);
      if (next && next->name_rule != NameRule::Forbidden && path.find('.') != std::string::npos)
        path = path.substr(path.find('.') + 1);
      bs = next;
    }
    if (bs) as = bs->attr(path);
    if (as) diag.with_help(fmt::format("add `{} = …`: {}", path, as->type.describe()));
  }
  check_egress(decls, r.model.graphs, r.diags);
  return r;
}

}  // namespace platc::sema
