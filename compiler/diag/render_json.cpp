// The machine-readable form of diagnostics; its schema is documented in docs/diagnostics.md.
#include "compiler/diag/render.h"

namespace platc {

nlohmann::json range_json(const SourceRange& r) {
  return {{"start", {{"line", r.line}, {"column", r.col}}}, {"end", {{"line", r.end_line}, {"column", r.end_col}}}};
}

nlohmann::json render_json(const Diagnostics& diags, const SourceManager& sources) {
  using nlohmann::json;
  auto where = [&](const SourceRange& r) {
    json j = json::object();
    if (r.valid() && r.file < sources.size()) {
      j["file"] = sources.file(r.file).path;
      j["range"] = range_json(r);
    }
    return j;
  };
  json list = json::array();
  for (const auto& d : diags.items()) {
    json j{{"code", d.code()},
           {"severity", severity_name(d.severity)},
           {"message", d.message},
           {"location", where(d.primary)}};
    if (!d.primary_label.empty()) j["label"] = d.primary_label;
    json labels = json::array();
    for (const auto& l : d.secondary) {
      json lj = where(l.range);
      lj["message"] = l.message;
      labels.push_back(lj);
    }
    j["related"] = labels;
    j["notes"] = d.notes;
    if (d.help) j["help"] = *d.help;
    if (d.fixit) {
      json fj = where(d.fixit->range);
      fj["replacement"] = d.fixit->replacement;
      j["fix"] = fj;
    }
    list.push_back(j);
  }
  json doc{{"version", 1}, {"diagnostics", list}, {"errors", diags.error_count()}, {"warnings", diags.warning_count()}};
  // Errors past Diagnostics::kMaxKeptErrors are counted in `errors`, not listed.
  if (diags.dropped() > 0) doc["omitted"] = diags.dropped();
  return doc;
}

}  // namespace platc
