// Turning literal text into typed values: numbers, units, escapes. Pure functions, no diagnostics
// objects: each returns a value or a LiteralError that the parser turns into a diagnostic.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "compiler/ast/ast.h"

namespace platc::ast {

enum class LiteralErrorKind {
  UnknownUnit,       // args: unit
  Overflow,          // args: what overflowed ("the size in bytes")
  MixedUnits,
  TooPrecise,        // args: the precision limit in words
  MisorderedUnits,
};

struct LiteralError {
  LiteralErrorKind kind;
  std::string detail;      // unit or words, see above
  std::size_t offset = 0;  // code-point offset of the offending part within the literal text
  std::size_t length = 0;  // its length; 0 means the whole literal
  std::optional<std::string> suggestion;  // for UnknownUnit: the closest known unit
};

// "10", "0.5", "10_000": at most 18 significant digits.
std::variant<Decimal, LiteralError> parse_number(std::string_view text);

// "512Mi", "250m", "1h30m", "70%".
std::variant<Quantity, LiteralError> parse_quantity(std::string_view text);

// All unit suffixes the language knows, for help messages.
const std::vector<std::string>& known_units();

// Checked arithmetic: nullopt on overflow.
std::optional<std::int64_t> checked_mul(std::int64_t a, std::int64_t b);
std::optional<std::int64_t> checked_add(std::int64_t a, std::int64_t b);

// Decimal * multiplier, rounded up to an integer (Kubernetes rounds quantities up). nullopt on
// overflow.
std::optional<std::int64_t> scale_round_up(const Decimal& d, std::int64_t multiplier);

}  // namespace platc::ast
