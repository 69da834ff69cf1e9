// The canonical formatter: one AST in, the canonical text of that file out. The layout rules are
// documented in docs/cli.md ("Formatting"); compiler/format/ is the only place that decides them.
#pragma once

#include <string>

#include "compiler/ast/ast.h"
#include "compiler/source/source.h"

namespace platc::format {

// The line width that decides whether a block, map or list may stay on one line.
inline constexpr std::size_t kMaxWidth = 100;
// Indentation per nesting level.
inline constexpr std::size_t kIndent = 2;

// Formats `file`, parsed from `src` without errors. Pure: never prints, never reads other files.
// The source text is consulted only for what the AST does not say: blank lines, which blocks,
// maps and lists were written on one line, the exact spelling of quoted keys and import paths.
std::string format_file(const ast::File& file, const SourceFile& src);

}  // namespace platc::format
