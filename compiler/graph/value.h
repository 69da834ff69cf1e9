// Resolved, typed, unit-normalised attribute values: what sema produces from AST expressions and
// what policies and backends read. A value never holds an environment conditional (overlays are
// merged before) and never an unresolved name (references point at declared resources).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "compiler/source/source.h"
#include "compiler/support/decimal.h"

namespace platc::graph {

enum class ValueKind {
  Bool,
  Int,       // i
  Number,    // dec (exact decimal)
  Size,      // i = bytes
  Duration,  // i = seconds
  Cpu,       // i = millicores
  Percent,   // dec, e.g. 70 for 70%
  String,    // pieces (text, and references to outputs only known at deploy time)
  Symbol,    // text: a bare word such as `forbid`, `blue-green`, `high`
  Engine,    // text = engine, text2 = version ("" when none was written)
  Ref,       // text = resource name, text2 = output ("" for the resource itself); target_kind
  List,      // items
  Map,       // entries (in source order)
  Range,     // items[0] .. items[1]
  Call,      // text = callee; items = positional args; entries = named args
  Chain,     // items: a -> b -> c
  Compare,   // text = operator; items[0], items[1]
};

struct Value;

// A piece of a string: literal text, or a reference to a resource output whose value is only
// known when the platform is deployed (`${main.host}`). Compile-time outputs (`${env.domain}`,
// `${backend.name}`) are already substituted into the text.
struct StringPiece {
  std::string text;
  std::string ref_resource;  // non-empty for a reference
  std::string ref_output;
  bool operator==(const StringPiece&) const = default;
};

struct Value {
  // Declared (defined in value.cpp) so that Value is not an aggregate: clang then does not need
  // `entries`' pair<string, Value> complete to decide whether Value is default-constructible, a
  // cycle it rejects while Value is still incomplete (the clang PLATC_FUZZ build; GCC accepts both).
  Value();

  ValueKind kind = ValueKind::Bool;
  bool b = false;
  std::int64_t i = 0;
  Decimal dec;
  std::string text, text2;
  std::string target_kind;  // Ref: the kind of the referenced resource
  std::vector<StringPiece> pieces;
  std::vector<Value> items;
  std::vector<std::pair<std::string, Value>> entries;
  std::vector<SourceRange> key_ranges;  // Map: where each key of `entries` was written, if known
  SourceRange range;                    // where it was written; invalid for stdlib defaults
  // A string the secret detector flags (policy::mark_secrets), waived or not: backends deliver it
  // from a Secret, never as text in a ConfigMap or values file; display() and the graph JSON
  // show it redacted.
  bool secret = false;

  // A string without runtime references: its whole text.
  bool is_plain_string() const;
  std::string plain() const;  // concatenated text; references as `${res.out}`
  // Every reference inside this value (strings, lists, maps, calls …), depth first.
  void collect_refs(std::vector<const Value*>& out, std::vector<const StringPiece*>& pieces_out) const;

  // This value or one inside it is a secret.
  bool holds_secret() const;
  // The value as a user would write it: `512Mi`, `250m`, `"text"`, `[a, b]`, `main.url`; a
  // secret as `(redacted)`.
  std::string display() const;
  bool same(const Value& other) const;  // equal ignoring ranges
};

// Canonical spellings used by display() and the backends.
std::string format_bytes(std::int64_t bytes);       // 536870912 -> "512Mi"
std::string format_seconds(std::int64_t seconds);   // 5400 -> "1h30m"
std::string format_millicores(std::int64_t milli);  // 250 -> "250m", 2000 -> "2"
std::string format_decimal(const Decimal& d);

}  // namespace platc::graph
