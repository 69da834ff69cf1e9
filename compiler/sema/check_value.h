// Type checking of one attribute value: an AST expression against a schema type gives a typed,
// unit-normalised graph::Value, or diagnostics. References are resolved by name here; overlays
// and environments are not this file's business (resolve.cpp merges the checked values).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/ast/ast.h"
#include "compiler/diag/diagnostic.h"
#include "compiler/graph/value.h"
#include "compiler/sema/schema.h"
#include "compiler/sema/types.h"

namespace platc::sema {

// A declared resource, as references see it.
struct Declared {
  std::string name;
  const KindSchema* schema = nullptr;
  SourceRange where;  // its name in the block header
};

// What a reference's first word can name. The word `env` is the environment being built.
class NameTable {
 public:
  virtual ~NameTable() = default;
  virtual const Declared* find(std::string_view name) const = 0;
  virtual std::vector<std::string> names() const = 0;
  virtual const KindSchema* environment_schema() const = 0;
};

class ValueChecker {
 public:
  // `names` may be null (stdlib defaults): then any reference is an error.
  ValueChecker(Diagnostics& diags, const NameTable* names) : diags_(diags), names_(names) {}

  // `attr` names the attribute in messages ("memory", "env.DATABASE_URL").
  std::optional<graph::Value> check(const ast::Expr& e, const Type& t, const std::string& attr);

  // Bounds from the schema; reports E0409.
  void check_bounds(const graph::Value& v, const AttrSchema& a);

 private:
  std::optional<graph::Value> check_inner(const ast::Expr& e, const Type& t);
  std::optional<graph::Value> one_of(const ast::Expr& e, const Type& t);
  std::optional<graph::Value> string(const ast::Expr& e, const Type& t);
  std::optional<graph::Value> quantity(const ast::Expr& e, const Type& t);
  std::optional<graph::Value> reference(const ast::Expr& e, const Type& t);
  std::optional<graph::Value> call(const ast::Expr& e, const Type& t);
  std::optional<graph::Value> symbol(const ast::Expr& e, const Type& t);
  std::optional<graph::Value> structured(const ast::Expr& e, const Type& t);
  // Resolves `a.b` to a Ref value (or reports); `allow_bare` lets a bare resource name through.
  std::optional<graph::Value> resolve_ref(const ast::RefExpr& r, const SourceRange& where);
  void mismatch(const ast::Expr& e, const Type& t);

  Diagnostics& diags_;
  const NameTable* names_;
  std::string attr_;
};

// "a string", "number `512`", "a reference to database `main`": what the user wrote, for messages.
std::string describe_found(const ast::Expr& e, const NameTable* names);

// Compares two numeric values of the same kind: <0, 0, >0. Non-numeric kinds compare equal.
int compare_values(const graph::Value& a, const graph::Value& b);

}  // namespace platc::sema
