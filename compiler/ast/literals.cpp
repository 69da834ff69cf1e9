#include "compiler/ast/literals.h"

#include <array>
#include <cctype>
#include <limits>

#include "compiler/diag/diagnostic.h"

namespace platc::ast {
namespace {

constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
constexpr std::uint32_t kMaxSignificantDigits = 18;

enum class UnitKind { Size, Duration, CpuOrMinute, Percent };

struct Unit {
  std::string_view suffix;
  UnitKind kind;
  std::int64_t factor;  // bytes, seconds; for `m`, seconds (millicores are the count itself)
};

constexpr std::int64_t Ki = 1024, K = 1000;
constexpr std::array<Unit, 27> kUnits = {{
    {"B", UnitKind::Size, 1},
    {"K", UnitKind::Size, K},
    {"KB", UnitKind::Size, K},
    {"M", UnitKind::Size, K * K},
    {"MB", UnitKind::Size, K * K},
    {"G", UnitKind::Size, K * K * K},
    {"GB", UnitKind::Size, K * K * K},
    {"T", UnitKind::Size, K * K * K * K},
    {"TB", UnitKind::Size, K * K * K * K},
    {"P", UnitKind::Size, K * K * K * K * K},
    {"PB", UnitKind::Size, K * K * K * K * K},
    {"Ki", UnitKind::Size, Ki},
    {"KiB", UnitKind::Size, Ki},
    {"Mi", UnitKind::Size, Ki * Ki},
    {"MiB", UnitKind::Size, Ki * Ki},
    {"Gi", UnitKind::Size, Ki * Ki * Ki},
    {"GiB", UnitKind::Size, Ki * Ki * Ki},
    {"Ti", UnitKind::Size, Ki * Ki * Ki * Ki},
    {"TiB", UnitKind::Size, Ki * Ki * Ki * Ki},
    {"Pi", UnitKind::Size, Ki * Ki * Ki * Ki * Ki},
    {"PiB", UnitKind::Size, Ki * Ki * Ki * Ki * Ki},
    {"s", UnitKind::Duration, 1},
    {"m", UnitKind::CpuOrMinute, 60},
    {"h", UnitKind::Duration, 3600},
    {"d", UnitKind::Duration, 86400},
    {"w", UnitKind::Duration, 7 * 86400},
    {"%", UnitKind::Percent, 1},
}};

const Unit* find_unit(std::string_view s) {
  for (const auto& u : kUnits)
    if (u.suffix == s) return &u;
  return nullptr;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

bool Quantity::has(Dimension d) const {
  switch (d) {
    case Dimension::Size:
      return bytes.has_value();
    case Dimension::Duration:
      return seconds.has_value();
    case Dimension::Cpu:
      return millicores.has_value();
    case Dimension::Percent:
      return percent.has_value();
  }
  return false;
}

const std::vector<std::string>& known_units() {
  static const std::vector<std::string> units = [] {
    std::vector<std::string> v;
    for (const auto& u : kUnits) v.emplace_back(u.suffix);
    return v;
  }();
  return units;
}

std::optional<std::int64_t> checked_mul(std::int64_t a, std::int64_t b) {
  std::int64_t r;
  if (__builtin_mul_overflow(a, b, &r)) return std::nullopt;
  return r;
}

std::optional<std::int64_t> checked_add(std::int64_t a, std::int64_t b) {
  std::int64_t r;
  if (__builtin_add_overflow(a, b, &r)) return std::nullopt;
  return r;
}

std::optional<std::int64_t> scale_round_up(const Decimal& d, std::int64_t multiplier) {
  // value = mantissa * multiplier / 10^scale, rounded up. Use 128-bit to keep the product exact.
  __int128 num = static_cast<__int128>(d.mantissa) * multiplier;
  __int128 abs_num = num < 0 ? -num : num;
  __int128 den = 1;
  for (std::uint32_t i = 0; i < d.scale; ++i) {
    // `0.000…001Ki` may have any number of fraction digits: once 10^i exceeds |num| the value is a
    // fraction of one, and 10^scale itself may not fit in 128 bits.
    if (den > abs_num) return num > 0 ? 1 : 0;
    den *= 10;
  }
  __int128 q = num / den;
  if (num % den != 0 && num > 0) q += 1;
  if (q > kMax || q < -kMax) return std::nullopt;
  return static_cast<std::int64_t>(q);
}

std::variant<Decimal, LiteralError> parse_number(std::string_view text) {
  Decimal d;
  bool in_fraction = false;
  std::uint32_t significant = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '_') continue;
    if (c == '.') {
      in_fraction = true;
      continue;
    }
    if (!is_digit(c)) break;
    if (significant > 0 || c != '0') ++significant;
    if (significant > kMaxSignificantDigits)
      return LiteralError{LiteralErrorKind::TooPrecise, "18 significant digits", 0, 0, {}};
    d.mantissa = d.mantissa * 10 + (c - '0');
    if (in_fraction) ++d.scale;
  }
  // Drop trailing zeros of the fraction: 0.50 == 0.5.
  while (d.scale > 0 && d.mantissa % 10 == 0) {
    d.mantissa /= 10;
    --d.scale;
  }
  return d;
}

std::variant<Quantity, LiteralError> parse_quantity(std::string_view text) {
  struct Segment {
    Decimal value;
    const Unit* unit;
    std::size_t unit_begin;
    std::size_t unit_len;
  };
  std::vector<Segment> segments;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t num_begin = pos;
    while (pos < text.size() && (is_digit(text[pos]) || text[pos] == '_' || text[pos] == '.')) ++pos;
    std::size_t unit_begin = pos;
    while (pos < text.size() && !is_digit(text[pos])) ++pos;
    std::string_view unit_text = text.substr(unit_begin, pos - unit_begin);
    const Unit* unit = find_unit(unit_text);
    if (!unit) {
      LiteralError e{LiteralErrorKind::UnknownUnit, std::string(unit_text), unit_begin, unit_text.size(), {}};
      e.suggestion = closest_match(unit_text, known_units());
      return e;
    }
    auto parsed = parse_number(text.substr(num_begin, unit_begin - num_begin));
    if (auto* err = std::get_if<LiteralError>(&parsed)) return *err;
    segments.push_back({std::get<Decimal>(parsed), unit, unit_begin, unit_text.size()});
  }

  Quantity q;
  q.text = std::string(text);
  if (segments.size() > 1) {
    // Only durations combine (1h30m), largest unit first, each once. `m` is minutes here.
    std::int64_t total = 0;
    std::int64_t last_factor = std::numeric_limits<std::int64_t>::max();
    for (const auto& seg : segments) {
      if (seg.unit->kind != UnitKind::Duration && seg.unit->kind != UnitKind::CpuOrMinute)
        return LiteralError{LiteralErrorKind::MixedUnits, {}, 0, 0, {}};
    }
    for (const auto& seg : segments) {
      if (seg.unit->factor >= last_factor)
        return LiteralError{LiteralErrorKind::MisorderedUnits, {}, seg.unit_begin, seg.unit_len, {}};
      last_factor = seg.unit->factor;
      auto secs = scale_round_up(seg.value, seg.unit->factor);
      auto sum = secs ? checked_add(total, *secs) : std::nullopt;
      if (!sum) return LiteralError{LiteralErrorKind::Overflow, "the duration in seconds", 0, 0, {}};
      total = *sum;
    }
    q.seconds = total;
    return q;
  }

  const Segment& seg = segments.front();
  switch (seg.unit->kind) {
    case UnitKind::Size: {
      auto bytes = scale_round_up(seg.value, seg.unit->factor);
      if (!bytes) return LiteralError{LiteralErrorKind::Overflow, "the size in bytes", 0, 0, {}};
      q.bytes = *bytes;
      break;
    }
    case UnitKind::Percent:
      q.percent = seg.value;
      break;
    case UnitKind::Duration: {
      auto secs = scale_round_up(seg.value, seg.unit->factor);
      if (!secs) return LiteralError{LiteralErrorKind::Overflow, "the duration in seconds", 0, 0, {}};
      q.seconds = *secs;
      break;
    }
    case UnitKind::CpuOrMinute: {
      // 250m: millicores or minutes; sema picks by the attribute's type. A fraction of a
      // millicore means nothing, so `1.5m` keeps only its reading as 90 seconds.
      auto secs = scale_round_up(seg.value, seg.unit->factor);
      if (!secs) return LiteralError{LiteralErrorKind::Overflow, "the duration in seconds", 0, 0, {}};
      q.seconds = *secs;
      if (seg.value.is_integer()) q.millicores = seg.value.mantissa;
      break;
    }
  }
  return q;
}

}  // namespace platc::ast
