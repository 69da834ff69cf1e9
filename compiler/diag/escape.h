// What diagnostics may print of a value: nothing that a terminal or a CI log would interpret.
// Values in messages come from the input (a pull request of someone the repository does not
// trust): an escape sequence could rewrite the terminal, a line break could forge a `::error`
// line in a CI log, a bidi override could make the message read differently from what it says.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace platc {

// A code point that must never reach a terminal raw: C0 and C1 controls, DEL, the Unicode bidi
// controls (U+061C, U+200E-U+200F, U+202A-U+202E, U+2066-U+2069) and the line and paragraph
// separators (U+2028, U+2029).
bool is_unsafe_code_point(char32_t cp);

// `s` with every unsafe code point escaped (`\n`, `\r`, `\t`, otherwise `\u{1b}`) and every byte
// of invalid UTF-8 as `\x{ff}`; text longer than `max_code_points` is cut there and ends with
// `… (N characters)`, N the full length.
std::string visible(std::string_view s, std::size_t max_code_points = 2000);

// The longest a value quoted in a message is shown (code points).
inline constexpr std::size_t kMaxQuotedValue = 80;

}  // namespace platc
