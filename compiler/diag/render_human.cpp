// The human renderer, modelled on rustc:
//
//   error[E0101]: expected `}` to close block `service api` opened at 3:1
//    --> platform.plat:9:2
//     |
//   3 | service api {
//     |             - block `service api` opened here
//   ...
//   9 |   port = 80
//     |            ^ expected `}` here
//     |
//     = note: …
//     = help: …
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "compiler/diag/escape.h"
#include "compiler/diag/render.h"
#include "compiler/source/utf8.h"

namespace platc {
namespace {

constexpr int kTabWidth = 4;

struct Style {
  bool on;
  std::string wrap(std::string_view code, std::string_view s) const {
    if (!on) return std::string(s);
    return fmt::format("\x1b[{}m{}\x1b[0m", code, s);
  }
  std::string severity(Severity sev, std::string_view s) const {
    return wrap(sev == Severity::Error ? "1;31" : sev == Severity::Warning ? "1;33" : "1;36", s);
  }
  std::string gutter(std::string_view s) const { return wrap("1;34", s); }
  std::string bold(std::string_view s) const { return wrap("1", s); }
};

// The source line as displayed (tabs expanded; control characters, bidi controls and line
// separators shown as U+FFFD, one cell each, so the line reads as the columns count it and can
// neither move the cursor nor reorder the text) and, for each code-point column, the display cell
// where it starts.
struct DisplayLine {
  std::string text;
  std::vector<int> cell;          // cell[c - 1] for column c; one extra entry for "just past the end"
  std::vector<std::size_t> byte;  // where column c starts in `text`; same indexing
};

DisplayLine display(std::string_view line) {
  DisplayLine d;
  int cells = 0;
  for (std::size_t i = 0; i < line.size();) {
    std::size_t n = utf8::sequence_length(line, i);
    d.cell.push_back(cells);
    d.byte.push_back(d.text.size());
    if (n == 0) {  // never for parsed files; shown as U+FFFD to stay aligned
      d.text += "\xEF\xBF\xBD";
      cells += 1;
      i += 1;
      continue;
    }
    char32_t cp = utf8::decode(line, i);
    if (cp == '\t') {
      int w = kTabWidth - (cells % kTabWidth);
      d.text.append(static_cast<std::size_t>(w), ' ');
      cells += w;
    } else if (is_unsafe_code_point(cp)) {
      d.text += "\xEF\xBF\xBD";
      cells += 1;
    } else {
      d.text.append(line.substr(i, n));
      cells += utf8::display_width(cp);
    }
    i += n;
  }
  d.cell.push_back(cells);
  d.byte.push_back(d.text.size());
  return d;
}

// A line longer than this many cells (minified JSON, a generated file, hostile input) is shown
// cut to a window around what the diagnostic points at, with `…` where text was left out.
constexpr int kMaxCells = 160;
constexpr int kContextCells = 40;  // kept before the first mark

// The part of a display line that is shown, and how mark cells move with it.
struct Window {
  std::string text;  // what to print, `…` marks included
  int first = 0;     // the first shown cell of the full line
  int shown = 0;     // how many cells of the full line are shown
  int lead = 0;      // cells printed before them (the `…`)
  bool cut = false;

  // A cell of the full line → a cell of the printed text, kept within the shown part.
  int map(int c) const { return cut ? lead + std::clamp(c - first, 0, shown) : c; }
};

Window window(const DisplayLine& d, int focus) {
  Window w;
  int total = d.cell.back();
  if (total <= kMaxCells) {
    w.text = d.text;
    w.shown = total;
    return w;
  }
  int begin = std::clamp(focus - kContextCells, 0, std::max(0, total - kMaxCells));
  int end = begin + kMaxCells;
  // Cut at column boundaries: the first column starting at or after each cell.
  auto col_at = [&](int c) {
    return static_cast<std::size_t>(std::lower_bound(d.cell.begin(), d.cell.end(), c) - d.cell.begin());
  };
  std::size_t b = col_at(begin), e = col_at(end);
  w.cut = true;
  w.first = d.cell[b];
  w.shown = d.cell[e] - w.first;
  w.lead = b > 0 ? 1 : 0;
  const char* ellipsis = "\xE2\x80\xA6";  // U+2026, one cell
  w.text = (b > 0 ? ellipsis : "") + d.text.substr(d.byte[b], d.byte[e] - d.byte[b]) +
           (e + 1 < d.cell.size() ? ellipsis : "");
  return w;
}

int cell_of(const DisplayLine& d, std::uint32_t col) {
  if (col == 0) return 0;
  if (col - 1 < d.cell.size()) return d.cell[col - 1];
  return d.cell.back() + static_cast<int>(col - d.cell.size());
}

// A line too long to display whole (one 16 MB line of hostile input): only the part around
// column `focus` is displayed. display() of the whole line for each of the 20 diagnostics shown
// took seconds and hundreds of megabytes, to show kMaxCells of it. The excerpt reaches
// kExcerptColumns on each side of the focus, more than a window can show, so the window cuts it
// (and marks the cuts) just as it would cut the whole line; only tabs may align differently.
constexpr std::size_t kLongLine = 64 * 1024;  // bytes
constexpr std::uint32_t kExcerptColumns = 1000;

struct Excerpt {
  std::string_view text;
  std::uint32_t first = 1;  // the line's column where `text` starts

  // A column of the line → a column of the excerpt; 0 (the start) for one before it.
  std::uint32_t col(std::uint32_t c) const { return c >= first ? c - first + 1 : 0; }
};

Excerpt excerpt(std::string_view line, std::uint32_t focus) {
  if (line.size() <= kLongLine) return {line, 1};
  std::uint32_t from = focus > kExcerptColumns ? focus - kExcerptColumns : 1;
  std::uint32_t to = focus + kExcerptColumns;  // exclusive
  std::size_t begin = 0, end = line.size();
  std::uint32_t col = 1;
  for (std::size_t i = 0; i < line.size(); ++col) {
    if (col == from) begin = i;
    if (col == to) {
      end = i;
      break;
    }
    std::size_t n = utf8::sequence_length(line, i);
    i += n == 0 ? 1 : n;
  }
  return {line.substr(begin, end - begin), from};
}

struct Annotation {
  std::uint32_t line;
  std::uint32_t col, end_col;  // on this line
  std::string label;
  bool primary;
};

std::string snippet(const std::vector<Annotation>& anns, const SourceFile& file, int width, const Style& st) {
  std::string out;
  std::map<std::uint32_t, std::vector<const Annotation*>> by_line;
  for (const auto& a : anns) by_line[a.line].push_back(&a);
  std::string pad(static_cast<std::size_t>(width), ' ');
  out += fmt::format("{} {}\n", pad, st.gutter("|"));
  std::uint32_t prev = 0;
  for (auto& [line, list] : by_line) {
    if (prev && line > prev + 2) out += st.gutter("...") + "\n";
    else if (prev && line == prev + 2) {
      // One line between two annotated lines: show it rather than "...".
      Window mid = window(display(excerpt(file.line_text(prev + 1), 1).text), 0);
      out += fmt::format("{:>{}} {} {}\n", st.gutter(std::to_string(prev + 1)), width + (st.on ? 11 : 0), st.gutter("|"),
                         mid.text);
    }
    std::sort(list.begin(), list.end(), [](const Annotation* a, const Annotation* b) {
      return a->primary != b->primary ? a->primary : a->col < b->col;
    });
    // The primary annotation (sorted first) decides which part of a long line is shown.
    Excerpt ex = excerpt(file.line_text(line), list.front()->col);
    DisplayLine dl = display(ex.text);
    Window win = window(dl, cell_of(dl, ex.col(list.front()->col)));
    out += fmt::format("{:>{}} {}", st.gutter(std::to_string(line)), width + (st.on ? 11 : 0), st.gutter("|"));
    out += win.text.empty() ? "\n" : " " + win.text + "\n";
    for (const Annotation* a : list) {
      int from = win.map(cell_of(dl, ex.col(a->col)));
      int to = std::max(from + 1, win.map(cell_of(dl, ex.col(a->end_col))));
      std::string marks(static_cast<std::size_t>(to - from), a->primary ? '^' : '-');
      std::string text = marks + (a->label.empty() ? "" : " " + visible(a->label));
      out += fmt::format("{} {} {}{}\n", pad, st.gutter("|"), std::string(static_cast<std::size_t>(from), ' '),
                         a->primary ? st.severity(Severity::Error, text) : st.gutter(text));
    }
    prev = line;
  }
  return out;
}

// Cut a range to the part on its first line.
Annotation annotation(const SourceRange& r, std::string label, bool primary, const SourceFile& file) {
  Annotation a{r.line, r.col, r.end_col, std::move(label), primary};
  if (r.end_line != r.line) {
    a.end_col = static_cast<std::uint32_t>(utf8::count_code_points(file.line_text(r.line))) + 1;
    if (a.end_col <= a.col) a.end_col = a.col + 1;
  }
  return a;
}

}  // namespace

std::string render_human_one(const Diagnostic& d, const SourceManager& sources, bool color) {
  Style st{color};
  std::string out;
  std::string sev(severity_name(d.severity));
  std::string head = d.codeless ? sev : fmt::format("{}[{}]", sev, d.code());
  // Every text that can hold a value of the input is passed through visible(): escaped, bounded.
  out += st.severity(d.severity, head) + st.bold(": " + visible(d.message)) + "\n";

  if (d.primary.valid() && d.primary.file < sources.size()) {
    const SourceFile& file = sources.file(d.primary.file);
    std::vector<Annotation> here;
    here.push_back(annotation(d.primary, d.primary_label, true, file));
    std::vector<const Label*> elsewhere;
    std::uint32_t max_line = d.primary.line;
    for (const auto& l : d.secondary) {
      if (!l.range.valid()) continue;
      if (l.range.file == d.primary.file) {
        here.push_back(annotation(l.range, l.message, false, file));
        max_line = std::max(max_line, l.range.line);
      } else {
        elsewhere.push_back(&l);
      }
    }
    int width = static_cast<int>(std::to_string(max_line).size());
    for (const Label* l : elsewhere)
      width = std::max(width, static_cast<int>(std::to_string(l->range.line).size()));
    std::string pad(static_cast<std::size_t>(width), ' ');
    out += fmt::format("{}{} {}:{}:{}\n", pad, st.gutter("-->"), visible(file.path), d.primary.line, d.primary.col);
    out += snippet(here, file, width, st);
    for (const Label* l : elsewhere) {
      const SourceFile& other = sources.file(l->range.file);
      out += fmt::format("{}{} {}:{}:{}\n", pad, st.gutter(":::"), visible(other.path), l->range.line, l->range.col);
      out += snippet({annotation(l->range, l->message, false, other)}, other, width, st);
    }
    bool fix_shown = false;
    if (d.fixit && d.fixit->range.valid() && d.fixit->range.line == d.fixit->range.end_line &&
        d.fixit->range.file == d.primary.file && d.fixit->replacement.find('\n') == std::string::npos) {
      // Show the line as it would read after the fix, like rustc's suggestions.
      std::string line(file.line_text(d.fixit->range.line));
      std::size_t begin = 0, end = 0, col = 1;
      for (std::size_t i = 0; i <= line.size(); ++i) {
        if (i == line.size() || (static_cast<unsigned char>(line[i]) & 0xC0) != 0x80) {
          if (col == d.fixit->range.col) begin = i;
          if (col == d.fixit->range.end_col) end = i;
          ++col;
        }
      }
      if (d.fixit->range.end_col >= col) end = line.size();
      if (d.fixit->range.col >= col) begin = line.size();
      if (end < begin) end = begin;
      std::string fixed = line.substr(0, begin) + d.fixit->replacement + line.substr(end);
      out += fmt::format("{} {}\n", pad, st.gutter("|"));
      for (const auto& n : d.notes) out += fmt::format("{} {} {}\n", pad, st.gutter("="), st.bold("note: ") + visible(n));
      out += st.wrap("1;36", "help") + st.bold(": " + visible(d.help.value_or("apply this change"))) + "\n";
      out += fmt::format("{} {}\n", pad, st.gutter("|"));
      Excerpt ex = excerpt(fixed, d.fixit->range.col);
      DisplayLine dl = display(ex.text);
      std::uint32_t rep_cols = static_cast<std::uint32_t>(utf8::count_code_points(d.fixit->replacement));
      Window win = window(dl, cell_of(dl, ex.col(d.fixit->range.col)));
      int from = win.map(cell_of(dl, ex.col(d.fixit->range.col)));
      int to = std::max(from + 1, win.map(cell_of(dl, ex.col(d.fixit->range.col + rep_cols))));
      bool insertion = d.fixit->range.col == d.fixit->range.end_col;
      out += fmt::format("{:>{}} {} {}\n", st.gutter(std::to_string(d.fixit->range.line)), width + (st.on ? 11 : 0),
                         st.gutter("|"), win.text);
      out += fmt::format("{} {} {}{}\n", pad, st.gutter("|"), std::string(static_cast<std::size_t>(from), ' '),
                         st.wrap("32", std::string(static_cast<std::size_t>(to - from), insertion ? '+' : '~')));
      fix_shown = true;
    }
    if (!fix_shown) {
      if (!d.notes.empty() || d.help) out += fmt::format("{} {}\n", pad, st.gutter("|"));
      for (const auto& n : d.notes) out += fmt::format("{} {} {}\n", pad, st.gutter("="), st.bold("note: ") + visible(n));
      if (d.help) out += fmt::format("{} {} {}\n", pad, st.gutter("="), st.bold("help: ") + visible(*d.help));
    }
  } else {
    for (const auto& n : d.notes) out += fmt::format("  {} {}\n", st.gutter("="), st.bold("note: ") + visible(n));
    if (d.help) out += fmt::format("  {} {}\n", st.gutter("="), st.bold("help: ") + visible(*d.help));
  }
  return out;
}

std::string render_human(const Diagnostics& diags, const SourceManager& sources, const HumanOptions& opts) {
  std::string out;
  std::size_t shown = 0, hidden = 0;
  for (const auto& d : diags.items()) {
    if (shown >= opts.max_shown) {
      ++hidden;
      continue;
    }
    if (shown > 0) out += "\n";
    out += render_human_one(d, sources, opts.color);
    ++shown;
  }
  if (hidden > 0 || diags.dropped() > 0) {
    Style st{opts.color};
    std::size_t more = hidden + diags.dropped();
    std::string text = fmt::format(": {} more {} not shown", more, more == 1 ? "diagnostic" : "diagnostics");
    if (diags.dropped() > 0)
      text += fmt::format(" (platc stopped collecting after {} errors)", Diagnostics::kMaxKeptErrors);
    out += "\n" + st.severity(Severity::Note, "note") + st.bold(text) + "\n";
  }
  return out;
}

std::string summary_line(const Diagnostics& diags) {
  std::size_t errors = diags.error_count(), warnings = diags.warning_count();
  if (errors == 0 && warnings == 0) return {};
  std::set<FileId> files;
  for (const auto& d : diags.items())
    if (d.primary.valid()) files.insert(d.primary.file);
  std::string out;
  if (errors) out += fmt::format("{} error{}", errors, errors == 1 ? "" : "s");
  if (warnings) out += fmt::format("{}{} warning{}", errors ? ", " : "", warnings, warnings == 1 ? "" : "s");
  if (!files.empty()) out += fmt::format(" in {} file{}", files.size(), files.size() == 1 ? "" : "s");
  return out;
}

}  // namespace platc
