#include "compiler/support/decimal.h"

namespace platc {

double Decimal::to_double() const {
  double v = static_cast<double>(mantissa);
  for (std::uint32_t i = 0; i < scale; ++i) v /= 10.0;
  return v;
}

}  // namespace platc
