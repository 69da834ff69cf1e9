// The parser's public face: source text in, our AST and diagnostics out. ANTLR stays behind it.
#pragma once

#include <cstddef>

#include "compiler/ast/ast.h"
#include "compiler/diag/diagnostic.h"
#include "compiler/source/source.h"

namespace platc::parse {

struct Limits {
  std::size_t max_file_bytes = 16u << 20;     // E0003
  std::size_t max_tokens = 4'000'000;         // E0008
  std::size_t max_nesting = 64;               // E0007
  std::size_t max_syntax_errors = 200;        // the parser stops recovering after this many
};

struct ParseResult {
  ast::File file;
  Diagnostics diags;
};

// Parses one file held by `sources`. Never throws on bad input; every problem is a diagnostic.
ParseResult parse_file(const SourceManager& sources, FileId id, const Limits& limits = {});

}  // namespace platc::parse
