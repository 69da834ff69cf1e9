// Diagnostics: what every stage returns instead of printing. Rendering lives in render_*.h.
#pragma once

#include <fmt/format.h>

#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "compiler/diag/escape.h"
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

namespace detail {
// Whether the `index`-th `{}` of a message format stands between backticks: a quoted value.
bool quoted_placeholder(std::string_view format, std::size_t index);

// A string argument as a message may show it: controls escaped, and cut to kMaxQuotedValue code
// points when quoted (a 10 MB identifier must not become 10 MB of stderr). Others pass through.
template <typename T>
decltype(auto) shown_arg(bool quoted, T&& v) {
  if constexpr (std::is_convertible_v<const std::remove_reference_t<T>&, std::string_view>)
    return visible(std::string_view(v), quoted ? kMaxQuotedValue : 2000);
  else
    return std::forward<T>(v);
}

template <typename Tuple, std::size_t... I>
std::string format_message(std::string_view format, Tuple&& args, std::index_sequence<I...>) {
  return fmt::format(fmt::runtime(format),
                     shown_arg(quoted_placeholder(format, I), std::get<I>(std::forward<Tuple>(args)))...);
}
}  // namespace detail

// Builds a diagnostic of `kind`, formatting the registry's message with `args`; string arguments
// are made safe to print (see detail::shown_arg).
template <typename... Args>
Diagnostic make_diag(DiagKind kind, SourceRange where, Args&&... args) {
  const auto& info = diag_info(kind);
  Diagnostic d;
  d.kind = kind;
  d.severity = info.severity;
  d.message = detail::format_message(info.format, std::forward_as_tuple(std::forward<Args>(args)...),
                                     std::index_sequence_for<Args...>{});
  d.primary = where;
  return d;
}

// An ordered collection of diagnostics, as a stage returns them. It keeps at most
// kMaxKeptErrors errors: after that, errors are only counted (an error storm, such as 16 MB of
// invalid characters, must not keep millions of diagnostics in memory).
class Diagnostics {
 public:
  static constexpr std::size_t kMaxKeptErrors = 100;

  // The reference is to the kept diagnostic, or to a scratch one when it was only counted.
  Diagnostic& add(Diagnostic d);
  template <typename... Args>
  Diagnostic& report(DiagKind kind, SourceRange where, Args&&... args) {
    // Not even formatted: an error storm costs no memory and little time.
    if (full() && diag_info(kind).severity == Severity::Error) return dropped_one();
    return add(make_diag(kind, where, std::forward<Args>(args)...));
  }
  void append(Diagnostics other);
  bool has_errors() const;
  // Errors found, the ones counted but not kept included.
  std::size_t error_count() const;
  std::size_t warning_count() const;
  // Errors counted but not kept, past kMaxKeptErrors.
  std::size_t dropped() const { return dropped_; }
  bool full() const { return kept_errors_ >= kMaxKeptErrors; }
  const std::vector<Diagnostic>& items() const { return items_; }
  std::vector<Diagnostic>& items() { return items_; }
  bool empty() const { return items_.empty() && dropped_ == 0; }
  // Sorted by file, then position, then code: the order users read them in. Stable for ties.
  void sort();

 private:
  Diagnostic& dropped_one();
  std::vector<Diagnostic> items_;
  std::size_t kept_errors_ = 0;
  std::size_t dropped_ = 0;
  Diagnostic scratch_;
};

// "did you mean": the candidate closest to `word` by edit distance, if close enough to help.
std::optional<std::string> closest_match(std::string_view word,
                                         const std::vector<std::string>& candidates);
std::size_t edit_distance(std::string_view a, std::string_view b);

}  // namespace platc
