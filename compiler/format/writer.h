// The output buffer: text goes in line by line, and the writer knows the column and the
// indentation of the line being written, which layout decisions measure against.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace platc::format {

class Writer {
 public:
  // Starts a line with `n` spaces of indentation.
  void indent(std::size_t n);
  // Appends text that contains no line break.
  void text(std::string_view s);
  // Ends the line; trailing spaces are dropped (they can only come from layout, never from a value).
  void newline();
  // Ends a line inside a multi-line string, whose trailing spaces are part of the value.
  void verbatim_newline();
  // Puts one empty line here, unless the output is empty or already ends with one.
  void blank_line();

  std::size_t column() const { return column_; }
  std::size_t line_indent() const { return line_indent_; }
  bool at_line_start() const { return column_ == 0; }
  std::string take() { return std::move(buf_); }

 private:
  std::string buf_;
  std::size_t column_ = 0;
  std::size_t line_indent_ = 0;
};

}  // namespace platc::format
