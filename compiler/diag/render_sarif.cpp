#include "compiler/diag/render_sarif.h"

#include <map>

namespace platc {
namespace {

// SARIF's result levels are our severities' names: "error", "warning", "note".
std::string level(Severity s) {
  return std::string(severity_name(s));
}

// A file path as a relative URI reference: forward slashes, spaces and `%` escaped.
std::string uri(const std::string& path) {
  std::string out;
  for (unsigned char c : path) {
    if (c == '\\')
      out += '/';
    else if (c <= 0x20 || c == '%' || c == '#' || c == '?' || c >= 0x7f) {
      static const char* kHex = "0123456789ABCDEF";
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  while (out.starts_with("./")) out = out.substr(2);
  return out;
}

nlohmann::json region(const SourceRange& r) {
  nlohmann::json j{{"startLine", r.line}, {"startColumn", r.col}};
  if (r.end_line >= r.line) {
    j["endLine"] = r.end_line;
    // SARIF regions may not be empty in a way that reads as inverted; an insertion point is fine.
    j["endColumn"] = r.end_line == r.line && r.end_col < r.col ? r.col : r.end_col;
  }
  return j;
}

}  // namespace

nlohmann::json render_sarif(const Diagnostics& diags, const std::vector<SarifSuppressed>& suppressed,
                            const SourceManager& sources, const std::function<SarifRule(std::string_view)>& rule_info,
                            const std::string& version) {
  using nlohmann::json;
  std::map<std::string, std::size_t> rule_index;
  json rules = json::array();
  std::vector<std::pair<const Diagnostic*, const std::string*>> all;
  for (const auto& d : diags.items()) all.push_back({&d, nullptr});
  for (const auto& s : suppressed) all.push_back({s.diag, &s.justification});
  // Rules in code order, so the output does not depend on which came first.
  std::map<std::string, Severity> codes;
  for (const auto& [d, j] : all) codes.emplace(std::string(d->code()), diag_info(d->kind).severity);
  for (const auto& [code, sev] : codes) {
    SarifRule info = rule_info(code);
    rule_index[code] = rules.size();
    json r{{"id", code},
           {"name", code},
           {"shortDescription", {{"text", info.title}}},
           {"fullDescription", {{"text", info.summary.empty() ? info.title : info.summary}}},
           {"defaultConfiguration", {{"level", level(sev)}}},
           {"properties", {{"tags", json::array({"platc", info.category})}}}};
    if (!info.help.empty()) r["help"] = {{"text", info.help}, {"markdown", info.help}};
    rules.push_back(r);
  }
  auto location = [&](const SourceRange& r, const std::string* message) {
    json loc{{"physicalLocation",
              {{"artifactLocation", {{"uri", uri(sources.file(r.file).path)}, {"uriBaseId", "%SRCROOT%"}}},
               {"region", region(r)}}}};
    if (message) loc["message"] = {{"text", *message}};
    return loc;
  };
  json results = json::array();
  for (const auto& [d, justification] : all) {
    std::string code(d->code());
    std::string text = d->message;
    if (d->help) text += "\nhelp: " + *d->help;
    for (const auto& n : d->notes) text += "\nnote: " + n;
    json res{{"ruleId", code},
             {"ruleIndex", rule_index[code]},
             {"level", level(d->severity)},
             {"message", {{"text", text}}}};
    json locs = json::array();
    if (d->primary.valid() && d->primary.file < sources.size() && !sources.file(d->primary.file).builtin)
      locs.push_back(location(d->primary, nullptr));
    res["locations"] = locs;
    json related = json::array();
    int id = 0;
    for (const auto& l : d->secondary) {
      if (!l.range.valid() || l.range.file >= sources.size() || sources.file(l.range.file).builtin) continue;
      json loc = location(l.range, &l.message);
      loc["id"] = id++;
      related.push_back(loc);
    }
    if (!related.empty()) res["relatedLocations"] = related;
    if (justification)
      res["suppressions"] =
          json::array({{{"kind", "inSource"}, {"status", "accepted"}, {"justification", *justification}}});
    results.push_back(res);
  }
  json run{
      {"tool", {{"driver", {{"name", "platc"}, {"version", version}, {"semanticVersion", version}, {"rules", rules}}}}},
      {"columnKind", "unicodeCodePoints"},
      {"originalUriBaseIds", {{"%SRCROOT%", {{"description", {{"text", "The directory platc check ran in"}}}}}}},
      {"results", results}};
  return json{{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"}, {"version", "2.1.0"}, {"runs", {run}}};
}

}  // namespace platc
