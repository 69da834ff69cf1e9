// The one HCL writer: prints the model of hcl_model.h exactly as `terraform fmt` would leave it
// (hclwrite's format.go), so that every emitted .tf file passes `terraform fmt -check`
// (tests/scripts/hcl.sh proves it on every construct). The rules it follows:
//   - two spaces per level; one newline at the end of the file;
//   - `=` aligned over each run of consecutive one-line attributes of a body (and of `key = value`
//     items of an object): the run is broken by a blank line, a comment, a block and any value
//     spanning lines (an object, a multi-line tuple or call); a heredoc value belongs to the run,
//     as its `EOT` line ends the line fmt sees;
//   - a blank line around every nested block (none between a comment and the block below it, none
//     at the start or end of a body), so blocks read as terraform's documentation writes them;
//   - labels always quoted; objects one key per line, no commas; multi-line tuples one item per
//     line with a trailing comma; a call whose last argument spans lines opens it on the call's
//     line (`jsonencode({` … `})`), any other call that spans lines puts one argument per line;
//   - a tuple stays on one line when its items are one-line and not objects and it is at most 80
//     columns; empty objects, tuples and block bodies are `{}` and `[]`.
// What fmt would rewrite beyond whitespace is refused (std::invalid_argument): a top-level
// variable's `type` written as bare `list`, `map`, `set` or as a quoted type name.
// See docs/design-notes.md, "The HCL writer".
#pragma once

#include <string>

#include "backends/emit/hcl_model.h"

namespace platc::emit::hcl {

// A file: the items of `body` at the top level. Empty for an empty body.
std::string to_hcl(const Body& body);

// An expression as an attribute value at the top level (no indentation): for tests.
std::string to_hcl(const Expr& value);

}  // namespace platc::emit::hcl
