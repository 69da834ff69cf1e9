// How the HCL writer spells text: quoted string literals, object keys, template text, heredocs and
// comments. Every function here keeps one promise: terraform reads the text back as exactly the
// bytes it was given (proven by tests/scripts/hcl.sh through `terraform output -json`). Input must
// be valid UTF-8 (platc's sources are checked on load): anything else throws std::invalid_argument.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace platc::emit::hcl {

// The inside of a quoted string or of a template's literal text, without the quotes: `\"`, `\\`,
// `\n`, `\r`, `\t`; other control characters (C0, DEL, C1), U+2028, U+2029 and U+FEFF as `\uNNNN`
// (so that no reader or editor sees a line break or an invisible mark); `${` as `$${` and `%{` as
// `%%{` (template sequences); every other character as UTF-8.
std::string escape_string(std::string_view s);
// `"` + escape_string(s) + `"`.
std::string quote(std::string_view s);

// An object key: bare when it is an identifier and not one of HCL's keywords (`for`, `in`, `if`,
// `true`, `false`, `null`), quoted otherwise. In a quoted key, every character beyond the scripts
// whose characters are each one grapheme cluster (Latin, Greek, Cyrillic, kana, CJK ideographs,
// Hangul syllables) is written as `\uNNNN` or `\UNNNNNNNN`: terraform fmt aligns `=` by grapheme
// clusters, and this keeps the count exact without Unicode's segmentation tables.
std::string object_key(std::string_view key);
// The columns terraform fmt counts for a key written by object_key (or any identifier).
std::size_t key_columns(std::string_view written);

// Whether `text` can be a `<<-` heredoc that reads back exactly (see Expr::heredoc).
bool heredoc_ok(std::string_view text);
// `<<-EOT` … `EOT`: the lines indented by `indent + 2` spaces (the flush heredoc strips them
// again), lines of only white space left as they are (the flush rule ignores them), the closing
// marker at `indent`; a delimiter that occurs nowhere in the text. Requires heredoc_ok(text).
std::string heredoc(std::string_view text, int indent);

// `# text` lines for a comment, each ending in a newline, at `indent`; `#` alone for an empty
// line. Control characters other than tab are written as `\uNNNN`, so nothing ends the comment;
// bytes that are not UTF-8 as `\xNN` (a comment may name a file), where a string would throw.
std::string comment_lines(std::string_view text, int indent);

}  // namespace platc::emit::hcl
