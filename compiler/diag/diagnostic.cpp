#include "compiler/diag/diagnostic.h"

#include <algorithm>
#include <cctype>
#include <tuple>

namespace platc {

std::string_view severity_name(Severity s) {
  switch (s) {
    case Severity::Error:
      return "error";
    case Severity::Warning:
      return "warning";
    case Severity::Note:
      return "note";
  }
  return "error";
}

const std::vector<DiagKindInfo>& all_diag_kinds() {
  static const std::vector<DiagKindInfo> kinds = {
#define DIAG(Name, Code, Sev, Format) {DiagKind::Name, Code, Severity::Sev, Format, #Name},
#include "compiler/diag/diag_kinds.def"
  };
  return kinds;
}

const DiagKindInfo& diag_info(DiagKind kind) {
  return all_diag_kinds().at(static_cast<std::size_t>(kind));
}

const DiagKindInfo* find_diag_code(std::string_view code) {
  for (const auto& k : all_diag_kinds()) {
    if (k.code.size() == code.size() &&
        std::equal(k.code.begin(), k.code.end(), code.begin(),
                   [](char a, char b) { return std::toupper(static_cast<unsigned char>(a)) == std::toupper(static_cast<unsigned char>(b)); }))
      return &k;
  }
  return nullptr;
}

namespace detail {
bool quoted_placeholder(std::string_view format, std::size_t index) {
  std::size_t seen = 0;
  for (std::size_t i = 0; i + 1 < format.size(); ++i) {
    if ((format[i] == '{' || format[i] == '}') && format[i + 1] == format[i]) {  // `{{`, `}}`
      ++i;
      continue;
    }
    if (format[i] != '{' || format[i + 1] != '}') continue;
    if (seen++ == index) return i > 0 && format[i - 1] == '`' && i + 2 < format.size() && format[i + 2] == '`';
  }
  return false;
}
}  // namespace detail

Diagnostic& Diagnostics::add(Diagnostic d) {
  if (d.severity == Severity::Error) {
    if (full()) return dropped_one();
    ++kept_errors_;
  }
  items_.push_back(std::move(d));
  return items_.back();
}

Diagnostic& Diagnostics::dropped_one() {
  ++dropped_;
  scratch_ = Diagnostic{};
  return scratch_;
}

void Diagnostics::append(Diagnostics other) {
  for (auto& d : other.items_) add(std::move(d));
  dropped_ += other.dropped_;
}

bool Diagnostics::has_errors() const { return error_count() > 0; }

std::size_t Diagnostics::error_count() const {
  return dropped_ + static_cast<std::size_t>(std::count_if(items_.begin(), items_.end(), [](const Diagnostic& d) {
           return d.severity == Severity::Error;
         }));
}

std::size_t Diagnostics::warning_count() const {
  return static_cast<std::size_t>(std::count_if(items_.begin(), items_.end(), [](const Diagnostic& d) {
    return d.severity == Severity::Warning;
  }));
}

void Diagnostics::sort() {
  std::stable_sort(items_.begin(), items_.end(), [](const Diagnostic& a, const Diagnostic& b) {
    // The code breaks ties, as diagnostic.h promises: the order must not depend on which stage
    // happened to report first.
    std::string_view ca = a.code(), cb = b.code();
    return std::tie(a.primary.file, a.primary.line, a.primary.col, ca) <
           std::tie(b.primary.file, b.primary.line, b.primary.col, cb);
  });
}

// Optimal string alignment distance, case-insensitive: insertions, deletions, substitutions and
// swaps of neighbours ("prot" for "port") each cost one.
std::size_t edit_distance(std::string_view a, std::string_view b) {
  auto lower = [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); };
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t cost = lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2]) && lower(a[i - 2]) == lower(b[j - 1]))
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.size()][b.size()];
}

std::optional<std::string> closest_match(std::string_view word,
                                         const std::vector<std::string>& candidates) {
  std::optional<std::string> best;
  std::size_t best_d = 0;
  // Allow roughly one edit per three characters, at least one: close enough to be a typo.
  std::size_t limit = std::max<std::size_t>(1, word.size() / 3);
  for (const auto& c : candidates) {
    if (c == word) continue;
    // The difference in length is a lower bound of the distance: a 10 MB word is not compared
    // (edit_distance takes their product in time and memory).
    std::size_t gap = word.size() > c.size() ? word.size() - c.size() : c.size() - word.size();
    if (gap > limit || word.size() > 1000) continue;
    std::size_t d = edit_distance(word, c);
    // Replacing every character is not a typo fix: `e` must not suggest `%`.
    if (d >= word.size()) continue;
    if (d <= limit && (!best || d < best_d || (d == best_d && c < *best))) {
      best = c;
      best_d = d;
    }
  }
  return best;
}

}  // namespace platc
