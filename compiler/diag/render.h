// Turning diagnostics into text. Only cli/ calls these: stages never print.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

#include "compiler/diag/diagnostic.h"
#include "compiler/source/source.h"

namespace platc {

struct HumanOptions {
  bool color = false;          // ANSI colours: the CLI sets this only on a TTY without NO_COLOR
  std::size_t max_shown = 20;  // the rest become "N more errors not shown"
};

// rustc-style: header, location, source lines with a number gutter, carets, labels, notes, help.
std::string render_human(const Diagnostics& diags, const SourceManager& sources, const HumanOptions& opts);
std::string render_human_one(const Diagnostic& d, const SourceManager& sources, bool color);

// "3 errors, 1 warning in 2 files" (empty when there is nothing to say).
std::string summary_line(const Diagnostics& diags);

// The JSON document of docs/diagnostics.md.
nlohmann::json render_json(const Diagnostics& diags, const SourceManager& sources);
nlohmann::json range_json(const SourceRange& r);

}  // namespace platc
