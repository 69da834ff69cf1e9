// A JSON view of the AST, for tests (formatter AST equality, parser goldens) and `platc debug ast`.
#pragma once

#include <nlohmann/json.hpp>

#include "compiler/ast/ast.h"

namespace platc::ast {

// With ranges = false the dump ignores positions: two ASTs that mean the same compare equal.
nlohmann::json dump(const File& file, bool ranges);
nlohmann::json dump(const Expr& expr, bool ranges);

}  // namespace platc::ast
