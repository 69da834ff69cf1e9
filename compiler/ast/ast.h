// The AST: our own tree, built from the ANTLR parse tree by compiler/parse/ and consumed by the
// formatter and sema. Every node carries its exact source range. Literals are already typed
// values (sizes in bytes, durations in seconds, CPU in millicores), checked for overflow.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "compiler/source/source.h"
#include "compiler/support/decimal.h"

namespace platc::ast {

struct Ident {
  std::string name;
  SourceRange range;
};

// An exact decimal (compiler/support/decimal.h, shared with the graph).
using Decimal = platc::Decimal;

// What a unit suffix measures.
enum class Dimension {
  Size,      // bytes:        512Mi  50GiB  1G  100KB  10B
  Duration,  // seconds:      30s  15m  2h  7d  1w  1h30m
  Cpu,       // millicores:   250m  (a plain number such as `2` or `0.5` is cores, see Number)
  Percent,   // a decimal:    70%  99.9%
};

// A number glued to a unit. Only `m` is ambiguous (millicores or minutes): such a literal carries
// both readings and sema picks the one the attribute's type asks for.
struct Quantity {
  std::string text;                    // as written, e.g. "512Mi"
  std::optional<std::int64_t> bytes;   // Size
  std::optional<std::int64_t> seconds; // Duration (also set for `m`)
  std::optional<std::int64_t> millicores;  // Cpu (set for `m`)
  std::optional<Decimal> percent;      // Percent
  bool has(Dimension d) const;
};

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

struct BoolLit {
  bool value = false;
};
struct NumberLit {
  std::string text;  // as written, e.g. "10_000" or "0.5"
  Decimal value;
};
struct QuantityLit {
  Quantity q;
};
// 7.2.4 — also the version half of an engine pair.
struct VersionLit {
  std::string text;
};

// A piece of a string: literal text (escapes already decoded) or an interpolated expression.
struct StringPart {
  std::string text;     // when expr is null
  ExprPtr expr;         // `${...}`
  SourceRange range;    // of the text or of the whole `${...}`
};
struct StringLit {
  std::vector<StringPart> parts;
  bool multiline = false;
  std::string raw;  // the literal exactly as in the source, delimiters included
  // The decoded value when there is no interpolation.
  std::optional<std::string> plain() const;
};

// postgres 15   redis 7.2   kafka 3.6.1
struct EngineLit {
  Ident engine;
  std::string version;
  SourceRange version_range;
};
// main.url   env.domain   openai_api_key
struct RefExpr {
  std::vector<Ident> path;
  std::string dotted() const;
};
struct Argument {
  std::optional<Ident> name;  // named argument: build("./api", dockerfile = "Dockerfile")
  ExprPtr value;
};
// build("./backend")   push(main)   trivy(severity >= high)
struct CallExpr {
  Ident callee;
  std::vector<Argument> args;
};
struct ListExpr {
  std::vector<ExprPtr> items;
};
struct MapEntry {
  Ident key;  // a quoted key keeps its decoded text here
  bool quoted = false;
  ExprPtr value;
  SourceRange range;
};
struct MapExpr {
  std::vector<MapEntry> entries;
};
// request .. limit:  250m .. 1
struct RangeExpr {
  ExprPtr low, high;
};
// dev -> staging -> production
struct ChainExpr {
  std::vector<ExprPtr> steps;
};
enum class CompareOp { Ge, Le, Gt, Lt, Eq, Ne };
const char* compare_op_text(CompareOp op);
// severity >= high
struct CompareExpr {
  CompareOp op{};
  ExprPtr lhs, rhs;
};
// (expr): kept so the formatter can print what the user wrote.
struct ParenExpr {
  ExprPtr inner;
};
// A literal the lexer could not finish (unterminated string); already reported.
struct ErrorExpr {};

using ExprNode = std::variant<BoolLit, NumberLit, QuantityLit, VersionLit, StringLit, EngineLit, RefExpr,
                              CallExpr, ListExpr, MapExpr, RangeExpr, ChainExpr, CompareExpr, ParenExpr,
                              ErrorExpr>;

struct Expr {
  SourceRange range;
  bool negated = false;  // a leading `-`, only on numbers and quantities (folded into the value)
  ExprNode node;

  template <typename T>
  const T* as() const {
    return std::get_if<T>(&node);
  }
};

struct Attribute {
  Ident key;
  bool quoted_key = false;
  ExprPtr value;
  SourceRange range;  // key through value
};

struct Block;
struct Overlay;
using Member = std::variant<Attribute, std::unique_ptr<Block>, std::unique_ptr<Overlay>>;

// kind name { members }
struct Block {
  Ident kind;
  std::optional<Ident> name;
  std::vector<Member> members;
  SourceRange range;        // kind through the closing brace
  SourceRange open_brace;
  SourceRange close_brace;  // invalid when the block was never closed
  // "service backend" or "pipeline": how messages name it.
  std::string title() const;
};

// on production { members }   on staging, production { members }
struct Overlay {
  std::vector<Ident> environments;
  std::vector<Member> members;
  SourceRange range;
  SourceRange on_keyword;
};

struct Import {
  std::string target;  // the path (decoded) or the dotted module name
  bool is_path = false;
  std::optional<Ident> alias;
  SourceRange range;
  SourceRange target_range;
};

using TopLevel = std::variant<Import, std::unique_ptr<Block>>;

struct Comment {
  std::string text;  // including the leading `#` or `//`
  SourceRange range;
};

struct File {
  FileId id = kNoFile;
  std::vector<TopLevel> items;
  std::vector<Comment> comments;  // in source order; the formatter puts them back
};

SourceRange member_range(const Member& m);
SourceRange top_level_range(const TopLevel& t);

}  // namespace platc::ast
