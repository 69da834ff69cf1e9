#include "compiler/format/writer.h"

#include "compiler/format/source_text.h"

namespace platc::format {

void Writer::indent(std::size_t n) {
  buf_.append(n, ' ');
  column_ += n;
  line_indent_ = n;
}

void Writer::text(std::string_view s) {
  buf_ += s;
  column_ += width(s);
}

void Writer::newline() {
  while (!buf_.empty() && (buf_.back() == ' ' || buf_.back() == '\t')) buf_.pop_back();
  verbatim_newline();
}

void Writer::verbatim_newline() {
  buf_ += '\n';
  column_ = 0;
  line_indent_ = 0;
}

void Writer::blank_line() {
  if (buf_.empty() || buf_.ends_with("\n\n")) return;
  buf_ += '\n';
}

}  // namespace platc::format
