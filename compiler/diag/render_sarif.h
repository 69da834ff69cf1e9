// SARIF 2.1.0 and GitHub workflow-command renderings of diagnostics, for CI: code scanning
// uploads and pull-request annotations. Only cli/ calls these.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "compiler/diag/diagnostic.h"
#include "compiler/source/source.h"

namespace platc {

// What SARIF says about a code (its `reportingDescriptor`).
struct SarifRule {
  std::string title;     // shortDescription
  std::string summary;   // fullDescription
  std::string help;      // help.markdown: the long explanation
  std::string category;  // a tag: secrets, tags … or "input"
};

// A diagnostic accepted by a waiver: a result with an `inSource` suppression.
struct SarifSuppressed {
  const Diagnostic* diag;
  std::string justification;
};

nlohmann::json render_sarif(const Diagnostics& diags, const std::vector<SarifSuppressed>& suppressed,
                            const SourceManager& sources, const std::function<SarifRule(std::string_view)>& rule_info,
                            const std::string& version);

// `::error file=F,line=L,col=C,endLine=…,endColumn=…,title=CODE::message`, one line per diagnostic.
std::string render_github(const Diagnostics& diags, const SourceManager& sources);

}  // namespace platc
