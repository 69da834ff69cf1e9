// An exact decimal: value = mantissa / 10^scale. `0.5` is {5, 1}; `10` is {10, 0}. Number literals
// (the AST, compiler/ast/literals.cpp) and typed values (the graph, compiler/graph/value.h) hold
// one; it lives here so the graph does not depend on the AST.
#pragma once

#include <cstdint>

namespace platc {

struct Decimal {
  std::int64_t mantissa = 0;
  std::uint32_t scale = 0;
  bool is_integer() const { return scale == 0; }
  double to_double() const;
  bool operator==(const Decimal&) const = default;
};

}  // namespace platc
