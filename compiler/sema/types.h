// The attribute types of the kind schemas (stdlib/kinds/*.plat): `size`, `list(string)`,
// `enum(rolling, blue-green, canary)`, `ref(topic)` … A type is written in the language itself,
// as a bare word or a call, and parsed from the AST here.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "compiler/ast/ast.h"

namespace platc::sema {

enum class TypeTag {
  String,
  Bool,
  Int,
  Number,
  Size,
  Duration,
  Cpu,
  Percent,
  Cron,
  Url,
  Host,
  Cidr,  // an IPv4 or IPv6 address range, `203.0.113.0/24`
  Path,
  Port,
  Email,
  Image,
  Version,
  Date,
  Region,
  EnvValue,  // a string, number, bool, resource output or secret: what an env var may hold
  Secret,    // a bare reference to a `secret` block
  Trigger,   // push(main), tag("v*"), schedule("0 3 * * *"), pull_request(main), manual
  Scanner,   // trivy(severity >= high)
  Symbol,    // any bare word
  Enum,      // symbols: the allowed words
  Ref,       // symbols: the kinds a reference may point at
  Engine,    // symbols: the allowed engines
  List,      // args[0]: element
  Map,       // args[0]: value
  Range,     // args[0]: both ends
  Chain,     // args[0]: each step
  OneOf,     // args: the alternatives
};

struct Type {
  TypeTag tag = TypeTag::String;
  std::vector<std::string> symbols;
  std::vector<Type> args;

  // As written in a schema: `list(string)`, `enum(a, b)`.
  std::string spelling() const;
  // For messages: "a size such as `512Mi`", "one of `rolling`, `blue-green`, `canary`".
  std::string describe() const;
  bool is(TypeTag t) const { return tag == t; }
};

// Parses a type expression from a schema; on failure returns nullopt and sets `error`.
std::optional<Type> parse_type(const ast::Expr& e, std::string& error);

// The names of the scalar types, for did-you-mean in schema errors.
const std::vector<std::string>& scalar_type_names();

}  // namespace platc::sema
