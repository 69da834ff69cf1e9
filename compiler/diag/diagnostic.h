// Diagnostics: what every stage returns instead of printing. Rendering lives in render_*.h.
#pragma once

#include <fmt/format.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/source/source.h"

namespace platc {

enum class Severity { Error, Warning, Note };
std::string_view severity_name(Severity s);

enum class DiagKind {
#define DIAG(Name, Code, Sev, Format) Name,
#include "compiler/diag/diag_kinds.def"
  Count_
};

struct DiagKindInfo {
  DiagKind kind;
  std::string_view code;
  Severity severity;
  std::string_view format;
  std::string_view name;
};
const DiagKindInfo& diag_info(DiagKind kind);
const std::vector<DiagKindInfo>& all_diag_kinds();
const DiagKindInfo* find_diag_code(std::string_view code);

struct Label {
  SourceRange range;
  std::string message;
};

// A suggested edit: replace `range` with `replacement`.
struct FixIt {
  SourceRange range;
  std::string replacement;
};

struct Diagnostic {
  DiagKind kind{};
  Severity severity = Severity::Error;
  std::string message;
  SourceRange primary;
  std::string primary_label;     // text beside the carets; may be empty
  std::vector<Label> secondary;  // other places that explain this one
  std::vector<std::string> notes;
  std::optional<std::string> help;
  std::optional<FixIt> fixit;
  // A message that is not a finding (the steps of `platc why`): rendered without `[CODE]`.
  bool codeless = false;

  std::string_view code() const { return diag_info(kind).code; }

  Diagnostic& label(std::string text) {
    primary_label = std::move(text);
    return *this;
  }
  Diagnostic& also(SourceRange r, std::string text) {
    secondary.push_back({r, std::move(text)});
    return *this;
  }
  Diagnostic& note(std::string text) {
    notes.push_back(std::move(text));
    return *this;
  }
  Diagnostic& with_help(std::string text) {
    help = std::move(text);
    return *this;
  }
  Diagnostic& fix(SourceRange r, std::string replacement) {
    fixit = FixIt{r, std::move(replacement)};
    return *this;
  }
};

// Builds a diagnostic of `kind`, formatting the registry's message with `args`.
template <typename... Args>
Diagnostic make_diag(DiagKind kind, SourceRange where, Args&&... args) {
  const auto& info = diag_info(kind);
  Diagnostic d;
  d.kind = kind;
  d.severity = info.severity;
  d.message = fmt::format(fmt::runtime(info.format), std::forward<Args>(args)...);
  d.primary = where;
  return d;
}

// An ordered collection of diagnostics, as a stage returns them.
class Diagnostics {
 public:
  Diagnostic& add(Diagnostic d) {
    items_.push_back(std::move(d));
    return items_.back();
  }
  template <typename... Args>
  Diagnostic& report(DiagKind kind, SourceRange where, Args&&... args) {
    return add(make_diag(kind, where, std::forward<Args>(args)...));
  }
  void append(Diagnostics other);
  bool has_errors() const;
  std::size_t error_count() const;
  std::size_t warning_count() const;
  const std::vector<Diagnostic>& items() const { return items_; }
  std::vector<Diagnostic>& items() { return items_; }
  bool empty() const { return items_.empty(); }
  // Sorted by file, then position, then code: the order users read them in. Stable for ties.
  void sort();

 private:
  std::vector<Diagnostic> items_;
};

// "did you mean": the candidate closest to `word` by edit distance, if close enough to help.
std::optional<std::string> closest_match(std::string_view word,
                                         const std::vector<std::string>& candidates);
std::size_t edit_distance(std::string_view a, std::string_view b);

}  // namespace platc
