#include "compiler/format/format.h"

#include "compiler/format/body.h"
#include "compiler/format/comments.h"
#include "compiler/format/layout.h"
#include "compiler/format/printer.h"
#include "compiler/format/source_text.h"
#include "compiler/format/writer.h"

namespace platc::format {

std::string format_file(const ast::File& file, const SourceFile& src) {
  SourceText text(src);
  CommentQueue comments(file);
  Writer out;
  Context ctx{text, comments, out};
  Layout layout(text, comments);
  Printer(ctx, layout).file(file);
  return out.take();
}

}  // namespace platc::format
