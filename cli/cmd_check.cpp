// platc check: parse, type-check and run the policies; report in the format CI wants.
#include <fmt/format.h>

#include <cstdio>

#include "cli/common.h"
#include "compiler/diag/render.h"
#include "compiler/diag/render_sarif.h"
#include "compiler/policy/policy.h"

namespace platc::cli {
namespace {

int rank(Severity s) {
  return s == Severity::Error ? 3 : s == Severity::Warning ? 2 : 1;
}

Severity parse_severity(const std::string& s) {
  return s == "note" ? Severity::Note : s == "warning" ? Severity::Warning : Severity::Error;
}

void write_out(const std::string& s) {
  std::fwrite(s.data(), 1, s.size(), stdout);
}

std::string plural(std::size_t n, const char* word) {
  return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s");
}

SarifRule rule_info(std::string_view code) {
  SarifRule r;
  r.title = policy::title(code);
  r.summary = policy::summary(code);
  r.help = std::string(policy::explanation(code));
  const policy::Rule* rule = policy::find_rule(code);
  r.category = rule ? std::string(rule->category) : code.starts_with("P") ? "policy" : "input";
  return r;
}

void list_rules() {
  std::string out = fmt::format("{:<6} {:<8} {:<10} {}\n", "code", "severity", "category", "rule");
  for (const auto& r : policy::rules()) {
    const auto& info = diag_info(r.kind);
    out += fmt::format("{:<6} {:<8} {:<10} {}\n", info.code, severity_name(info.severity), r.category,
                       policy::title(info.code));
  }
  write_out(out);
}

}  // namespace

Runner register_check(CLI::App& app) {
  struct State {
    std::vector<std::string> paths;
    bool parse_only = false;
    SelectionFlags sel;
    std::string format = "human";
    std::string fail_on = "error";
    bool no_waivers = false;
    bool list_rules = false;
    OutputOptions out;
  };
  auto s = std::make_shared<State>();
  auto* cmd = app.add_subcommand("check", "Check a platform: syntax, names, types and units, then the policies");
  cmd->add_option("paths", s->paths, "Platform directories or .plat files (default: .)");
  cmd->add_flag("--parse-only", s->parse_only, "Stop after parsing: syntax errors only (fast, for editors and hooks)");
  add_selection_options(cmd, s->sel, EnvDefault::All, "Check", false);
  cmd->add_option("--format", s->format, "How to print: human (default), json, sarif, github")
      ->check(CLI::IsMember({"human", "json", "sarif", "github"}));
  cmd->add_option("--fail-on", s->fail_on,
                  "Exit 1 on findings of this severity or above: error (default), warning, note")
      ->check(CLI::IsMember({"error", "warning", "note"}));
  cmd->add_flag("--no-waivers", s->no_waivers,
                "Ignore every waiver of the policy block and report all findings (audits)");
  cmd->add_flag("--list-rules", s->list_rules, "List the policy rules with their codes and severities, and exit");
  add_output_options(cmd, s->out, false);
  return [s]() {
    if (s->list_rules) {
      list_rules();
      return int(kOk);
    }
    s->out.format = s->format == "json" ? Format::Json : Format::Human;
    SourceManager sources;
    Compiled& c = keep_until_exit(compile(sources, s->paths, !s->parse_only));
    int code = c.exit_code();

    Diagnostics all = std::move(c.diags);
    Diagnostics plain_text_secrets;
    policy::Result pr;
    bool ran = false;
    std::vector<std::string> envs = c.model.environments;
    if (code == kOk && c.analyzed) {
      auto sel = select(c.model, s->sel, EnvDefault::All);
      if (!sel) return int(kUsageError);
      envs = sel->environments;
      // What `platc build` would refuse: every backend's check step that applies to the targets.
      // Like errors of sema, they stop before the policies: those read a platform that can be built.
      // A secret copied as text (E0512) is the exception: it is the policies' business first.
      Diagnostics backend_diags = check_backends(c.model, envs, *select_backends("", c.model.targets));
      for (auto& d : backend_diags.items()) {
        if (d.kind == DiagKind::SecretValueInPlainText)
          plain_text_secrets.add(std::move(d));
        else
          all.add(std::move(d));
      }
      if (all.has_errors()) code = kCompileError;
      all.sort();
    }
    if (code == kOk && c.analyzed) {
      policy::Options opts;
      opts.environments = envs;
      opts.no_waivers = s->no_waivers;
      opts.sources = &sources;
      pr = policy::run(c.model, opts);
      ran = true;
      // A value the policies report (a finding no waiver accepted) is that finding; one they
      // accepted, or only warn about, would still be copied as text by the build: E0512.
      for (auto& d : plain_text_secrets.items()) {
        bool reported = std::any_of(pr.findings.items().begin(), pr.findings.items().end(), [&](const Diagnostic& f) {
          return f.primary.file == d.primary.file && f.primary.line >= d.primary.line &&
                 f.primary.line <= d.primary.end_line && f.severity == Severity::Error;
        });
        if (!reported) {
          all.add(std::move(d));
          code = kCompileError;
        }
      }
      for (auto& d : pr.findings.items()) all.add(std::move(d));
      all.sort();
      Severity threshold = parse_severity(s->fail_on);
      if (code == kOk)
        for (const auto& d : all.items())
          if (rank(d.severity) >= rank(threshold)) code = kFindings;
    }

    if (s->format == "json") {
      auto j = render_json(all, sources);
      std::size_t notes = 0;
      for (const auto& d : all.items())
        if (d.severity == Severity::Note) ++notes;
      j["notes"] = notes;
      j["fail_on"] = s->fail_on;
      j["environments"] = ran ? envs : std::vector<std::string>{};
      j["policies_run"] = ran;
      Diagnostics waived;
      for (const auto& w : pr.waived) waived.add(w.diag);
      auto wj = render_json(waived, sources)["diagnostics"];
      for (std::size_t k = 0; k < pr.waived.size(); ++k) {
        wj[k]["waiver"] = pr.waived[k].waiver;
        wj[k]["reason"] = pr.waived[k].reason;
      }
      j["waived"] = wj;
      auto list = nlohmann::json::array();
      for (const auto& w : pr.waivers) {
        nlohmann::json loc = nlohmann::json::object();
        if (w.where.valid()) loc = {{"file", sources.file(w.where.file).path}, {"range", range_json(w.where)}};
        list.push_back({{"name", w.name},
                        {"rule", w.rule},
                        {"resource", w.resource},
                        {"reason", w.reason},
                        {"expires", w.expires.empty() ? nlohmann::json(nullptr) : nlohmann::json(w.expires)},
                        {"location", loc},
                        {"status", w.status},
                        {"waived", w.waived}});
      }
      j["waivers"] = list;
      write_out(j.dump(2) + "\n");
      return code;
    }
    if (s->format == "sarif") {
      std::vector<SarifSuppressed> suppressed;
      for (const auto& w : pr.waived)
        suppressed.push_back({&w.diag, fmt::format("waiver `{}`: {}", w.waiver, w.reason)});
      write_out(render_sarif(all, suppressed, sources, rule_info, PLATC_VERSION).dump(2) + "\n");
      return code;
    }
    if (s->format == "github") {
      write_out(render_github(all, sources));
      std::string summary = summary_line(all);
      std::fprintf(stderr, "%s\n", summary.empty() ? "ok: no problems found" : summary.c_str());
      return code;
    }

    print_diagnostics(all, sources, s->out);
    std::string waived =
        pr.waived.empty() ? ""
                          : fmt::format(" ({} waived; --no-waivers shows them)", plural(pr.waived.size(), "finding"));
    if (!all.empty() && !pr.waived.empty())
      std::fprintf(stderr, "note: %s waived (--no-waivers shows them)\n", plural(pr.waived.size(), "finding").c_str());
    if (code == kOk && all.empty() && s->parse_only) {
      std::fprintf(stderr, "ok: %s parsed, no syntax errors\n", plural(c.load.platform.files.size(), "file").c_str());
    } else if (all.empty() && c.exit_code() == kOk) {
      const auto& g = c.model.graphs;
      std::size_t resources = g.empty() ? 0 : g.front().nodes.size();
      std::fprintf(stderr, "ok: %s, %s, %s, %s, no problems found%s\n",
                   plural(c.load.platform.files.size(), "file").c_str(), plural(resources, "resource").c_str(),
                   plural(envs.size(), "environment").c_str(), plural(pr.rules_run, "policy rule").c_str(),
                   waived.c_str());
    } else if (code == kOk && !all.empty() && !all.has_errors() && all.warning_count() == 0) {
      std::fprintf(stderr, "ok: %s below --fail-on %s\n", plural(all.items().size(), "note").c_str(),
                   s->fail_on.c_str());
    }
    return code;
  };
}

}  // namespace platc::cli
