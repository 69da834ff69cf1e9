// The inside of anything printed one item per line: the file itself, a block or overlay, a map or
// a list. Body decides what goes between the items: blank lines, comments, and the padding that
// aligns the `=` of consecutive single-line attributes. What an item looks like is the caller's.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "compiler/format/comments.h"
#include "compiler/format/source_text.h"
#include "compiler/format/writer.h"

namespace platc::format {

struct Context {
  const SourceText& src;
  CommentQueue& comments;
  Writer& out;
};

// One item of a body, as its printer describes it.
struct Unit {
  Pos start, end;  // the item's extent in the source
  // Whether a comment at `p` inside the item belongs to a nested body (a block's members, a map or
  // a list), which prints it in place. Any other comment inside the item (between a key and its
  // `=`, inside a call) has no place of its own: it is lifted out, onto a line before the item.
  std::function<bool(Pos)> nested;
  bool is_import = false;
  // A single-line `key = value`: printed by the body as part of an alignment run.
  struct Row {
    std::string key, value;
  };
  std::optional<Row> row;
  // Otherwise: prints the item, after its indentation has been written.
  std::function<void()> print;
};

enum class BodyKind { File, Block, List, Map };

class Body {
 public:
  Body(Context& ctx, std::size_t indent, BodyKind kind) : ctx_(ctx), indent_(indent), kind_(kind) {}

  // Right after the opening bracket: keeps a comment that follows `header_end` on its line (and comes
  // before `first`, where the first item starts) at the end of that line, then ends the line.
  void open(Pos header_end, std::optional<Pos> first);
  // `next` is where the following item starts, or the closing bracket for the last one.
  void add(const Unit& u, std::optional<Pos> next);
  // Before the closing bracket at `close` (the end of the file for the top level): prints the
  // comments still inside, each on its own line.
  void close(Pos close);

 private:
  struct PendingRow {
    std::string key, value, comment;
  };
  void flush_run();
  void comment_line(const ast::Comment& c);
  // The comment that ends the item's last line, if any; taken off the queue.
  std::optional<std::string> trailing(Pos end, std::optional<Pos> next);

  Context& ctx_;
  std::size_t indent_;
  BodyKind kind_;
  bool first_ = true;           // nothing printed yet: no blank line may come first
  std::uint32_t prev_end_ = 0;  // source line where the last printed thing ended
  bool prev_import_ = false;
  std::vector<PendingRow> run_;  // single-line attributes waiting to be aligned
};

// A comment as printed: its text without trailing whitespace.
std::string comment_text(const ast::Comment& c);

}  // namespace platc::format
