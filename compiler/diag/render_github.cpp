// GitHub Actions workflow commands: annotations on the pull request.
#include "compiler/diag/escape.h"
#include "compiler/diag/render_sarif.h"

namespace platc {

namespace {

// Workflow-command escaping: data escapes %, CR and LF; properties also `:` and `,`. Before that,
// visible() escapes every other control (ESC would colour or hide parts of the log, a bidi override
// reorder them), so nothing of a value can end the annotation or start another command.
std::string escape(const std::string& raw, bool property) {
  std::string out;
  for (char c : visible(raw)) {
    if (c == '%')
      out += "%25";
    else if (c == '\r')
      out += "%0D";
    else if (c == '\n')
      out += "%0A";
    else if (property && c == ':')
      out += "%3A";
    else if (property && c == ',')
      out += "%2C";
    else
      out += c;
  }
  return out;
}

}  // namespace

std::string render_github(const Diagnostics& diags, const SourceManager& sources) {
  std::string out;
  for (const auto& d : diags.items()) {
    const char* cmd = d.severity == Severity::Error ? "error" : d.severity == Severity::Warning ? "warning" : "notice";
    std::string props;
    const auto& r = d.primary;
    if (r.valid() && r.file < sources.size() && !sources.file(r.file).builtin) {
      props += "file=" + escape(sources.file(r.file).path, true);
      props += ",line=" + std::to_string(r.line) + ",col=" + std::to_string(r.col);
      if (r.end_line >= r.line) {
        props += ",endLine=" + std::to_string(r.end_line);
        if (r.end_line == r.line) props += ",endColumn=" + std::to_string(r.end_col);
      }
      props += ",";
    }
    props += "title=" + escape(std::string(d.code()), true);
    // The help goes on a line of its own inside the annotation: escaped as one, after visible().
    std::string msg = escape(d.message, false);
    if (d.help) msg += "%0Ahelp: " + escape(*d.help, false);
    out += "::" + std::string(cmd) + " " + props + "::" + msg + "\n";
  }
  return out;
}

}  // namespace platc
