// Literals and units: compiler/ast/literals.h. Every expected value here is computed by hand from
// docs/language.md §6 (units table, rounding up, 18 significant digits, compound durations).
#include "compiler/ast/literals.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>

using namespace platc;
using namespace platc::ast;

namespace {

constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();

Quantity quantity(std::string_view text) {
  auto r = parse_quantity(text);
  if (auto* e = std::get_if<LiteralError>(&r)) {
    FAIL_CHECK("parse_quantity(\"" << std::string(text) << "\") failed: " << e->detail);
    return {};
  }
  return std::get<Quantity>(r);
}

LiteralError quantity_error(std::string_view text) {
  auto r = parse_quantity(text);
  if (auto* e = std::get_if<LiteralError>(&r)) return *e;
  FAIL_CHECK("parse_quantity(\"" << std::string(text) << "\") unexpectedly succeeded");
  return {};
}

Decimal number(std::string_view text) {
  auto r = parse_number(text);
  if (auto* e = std::get_if<LiteralError>(&r)) {
    FAIL_CHECK("parse_number(\"" << std::string(text) << "\") failed: " << e->detail);
    return {};
  }
  return std::get<Decimal>(r);
}

std::int64_t bytes(std::string_view text) {
  Quantity q = quantity(text);
  CHECK_MESSAGE(q.has(Dimension::Size), text);
  CHECK_FALSE(q.has(Dimension::Duration));
  CHECK_FALSE(q.has(Dimension::Cpu));
  CHECK_FALSE(q.has(Dimension::Percent));
  return q.bytes.value_or(-1);
}

std::int64_t seconds(std::string_view text) {
  Quantity q = quantity(text);
  CHECK_MESSAGE(q.has(Dimension::Duration), text);
  CHECK_FALSE(q.has(Dimension::Size));
  CHECK_FALSE(q.has(Dimension::Percent));
  return q.seconds.value_or(-1);
}

}  // namespace

TEST_CASE("size units: every factor of the table") {
  CHECK(bytes("10B") == 10);
  CHECK(bytes("1K") == 1000);
  CHECK(bytes("1KB") == 1000);
  CHECK(bytes("1M") == 1000000);
  CHECK(bytes("1MB") == 1000000);
  CHECK(bytes("1G") == 1000000000);
  CHECK(bytes("1GB") == 1000000000);
  CHECK(bytes("1T") == 1000000000000);
  CHECK(bytes("1TB") == 1000000000000);
  CHECK(bytes("1P") == 1000000000000000);
  CHECK(bytes("1PB") == 1000000000000000);
  CHECK(bytes("1Ki") == 1024);
  CHECK(bytes("1KiB") == 1024);
  CHECK(bytes("1Mi") == 1048576);
  CHECK(bytes("1MiB") == 1048576);
  CHECK(bytes("1Gi") == 1073741824);
  CHECK(bytes("1GiB") == 1073741824);
  CHECK(bytes("1Ti") == 1099511627776);
  CHECK(bytes("1TiB") == 1099511627776);
  CHECK(bytes("1Pi") == 1125899906842624);
  CHECK(bytes("1PiB") == 1125899906842624);

  CHECK(bytes("512Mi") == 536870912);
  CHECK(bytes("50GiB") == 53687091200);
  CHECK(bytes("100KB") == 100000);
  CHECK(bytes("0B") == 0);
  CHECK(bytes("1_024Ki") == 1048576);
}

TEST_CASE("size fractions round up to a whole byte") {
  CHECK(bytes("1.5Ki") == 1536);
  CHECK(bytes("0.1Ki") == 103);  // 102.4
  CHECK(bytes("0.5B") == 1);
  CHECK(bytes("0.001K") == 1);   // exactly 1
  CHECK(bytes("0.0011K") == 2);  // 1.1
  CHECK(bytes("1.0Gi") == 1073741824);
  CHECK(bytes("2.50Mi") == 2621440);
}

TEST_CASE("the quantity text is kept as written") {
  CHECK(quantity("1_024Ki").text == "1_024Ki");
  CHECK(quantity("1h30m").text == "1h30m");
}

TEST_CASE("durations") {
  CHECK(seconds("30s") == 30);
  CHECK(seconds("15m") == 900);
  CHECK(seconds("2h") == 7200);
  CHECK(seconds("7d") == 604800);
  CHECK(seconds("1w") == 604800);
  CHECK(seconds("1.5s") == 2);
  CHECK(seconds("0.5h") == 1800);
  CHECK(quantity("30s").millicores == std::nullopt);
  CHECK(quantity("2h").millicores == std::nullopt);
}

TEST_CASE("`m` carries both readings: millicores and minutes") {
  Quantity q = quantity("250m");
  CHECK(q.millicores == 250);
  CHECK(q.seconds == 15000);
  CHECK(q.has(Dimension::Cpu));
  CHECK(q.has(Dimension::Duration));
  CHECK_FALSE(q.has(Dimension::Size));
  CHECK_FALSE(q.bytes.has_value());
  CHECK_FALSE(q.percent.has_value());

  SUBCASE("a fraction of a millicore keeps only the minutes") {
    Quantity f = quantity("1.5m");
    CHECK(f.seconds == 90);
    CHECK_FALSE(f.millicores.has_value());
    CHECK_FALSE(f.has(Dimension::Cpu));
    Quantity h = quantity("0.5m");
    CHECK(h.seconds == 30);
    CHECK_FALSE(h.millicores.has_value());
  }
  SUBCASE("trailing fraction zeros are not a fraction") {
    Quantity z = quantity("250.0m");
    CHECK(z.millicores == 250);
    CHECK(z.seconds == 15000);
  }
  SUBCASE("zero") {
    Quantity z = quantity("0m");
    CHECK(z.millicores == 0);
    CHECK(z.seconds == 0);
  }
}

TEST_CASE("compound durations, largest unit first") {
  CHECK(seconds("1h30m") == 5400);
  CHECK(seconds("1d12h") == 129600);
  CHECK(seconds("1w2d3h4m5s") == 604800 + 2 * 86400 + 3 * 3600 + 4 * 60 + 5);
  CHECK(seconds("1.5h30m") == 7200);
  // Inside a compound `m` is minutes only.
  CHECK_FALSE(quantity("1h30m").millicores.has_value());
  CHECK_FALSE(quantity("1h30m").has(Dimension::Cpu));
}

TEST_CASE("compound duration errors") {
  SUBCASE("mixed dimensions") {
    CHECK(quantity_error("1h30Mi").kind == LiteralErrorKind::MixedUnits);
    CHECK(quantity_error("1Gi512Mi").kind == LiteralErrorKind::MixedUnits);
    CHECK(quantity_error("1h50%").kind == LiteralErrorKind::MixedUnits);
  }
  SUBCASE("misordered: points at the offending unit") {
    LiteralError e = quantity_error("30m1h");
    CHECK(e.kind == LiteralErrorKind::MisorderedUnits);
    CHECK(e.offset == 4);
    CHECK(e.length == 1);
  }
  SUBCASE("repeated") {
    LiteralError e = quantity_error("1h1h");
    CHECK(e.kind == LiteralErrorKind::MisorderedUnits);
    CHECK(e.offset == 3);
    CHECK(e.length == 1);
    CHECK(quantity_error("1d2h3h").kind == LiteralErrorKind::MisorderedUnits);
  }
  SUBCASE("overflow of the sum") {
    // 15250284452471w fits (9223372036854460800 s), and so does 3d more; 4d more does not.
    CHECK(seconds("15250284452471w") == 9223372036854460800);
    CHECK(seconds("15250284452471w3d") == 9223372036854720000);
    LiteralError e = quantity_error("15250284452471w4d");
    CHECK(e.kind == LiteralErrorKind::Overflow);
    CHECK(e.detail == "the duration in seconds");
  }
}

TEST_CASE("percentages are exact decimals") {
  Quantity q = quantity("99.9%");
  REQUIRE(q.percent.has_value());
  CHECK(*q.percent == Decimal{999, 1});
  CHECK_FALSE(q.has(Dimension::Size));
  CHECK_FALSE(q.has(Dimension::Duration));
  CHECK_FALSE(q.has(Dimension::Cpu));
  CHECK(quantity("70%").percent == Decimal{70, 0});
  CHECK(quantity("12.50%").percent == Decimal{125, 1});
  CHECK(quantity("0.000001%").percent == Decimal{1, 6});
}

TEST_CASE("overflow at the signed 64-bit boundary") {
  SUBCASE("Ti: 2^23 Ti is exactly 2^63 bytes") {
    CHECK(bytes("8388607Ti") == 9223370937343148032);
    CHECK(bytes("8388607.999999Ti") == 9223372036853676297);
    LiteralError e = quantity_error("8388608Ti");
    CHECK(e.kind == LiteralErrorKind::Overflow);
    CHECK(e.detail == "the size in bytes");
  }
  SUBCASE("Pi") {
    CHECK(bytes("8191Pi") == 9222246136947933184);
    CHECK(quantity_error("8192Pi").kind == LiteralErrorKind::Overflow);
  }
  SUBCASE("the issue's example") {
    CHECK(quantity_error("99999999999999Ti").kind == LiteralErrorKind::Overflow);
  }
  SUBCASE("durations") {
    CHECK(seconds("106751991167300d") == 106751991167300 * 86400);
    LiteralError e = quantity_error("106751991167301d");
    CHECK(e.kind == LiteralErrorKind::Overflow);
    CHECK(e.detail == "the duration in seconds");
  }
  SUBCASE("`m` as minutes") {
    CHECK(quantity("153722867280912930m").seconds == 9223372036854775800);
    CHECK(quantity("153722867280912930m").millicores == 153722867280912930);
    CHECK(quantity_error("153722867280912931m").kind == LiteralErrorKind::Overflow);
  }
}

TEST_CASE("numbers are exact decimals") {
  CHECK(number("8000") == Decimal{8000, 0});
  CHECK(number("10_000") == Decimal{10000, 0});
  CHECK(number("0.5") == Decimal{5, 1});
  CHECK(number("0.50") == Decimal{5, 1});
  CHECK(number("0.50") == number("0.5"));
  CHECK(number("12.50") == Decimal{125, 1});
  CHECK(number("1.000") == Decimal{1, 0});
  CHECK(number("1_000.000_1") == Decimal{10000001, 4});
  CHECK(number("0") == Decimal{0, 0});
  CHECK(number("0.0") == Decimal{0, 0});
  CHECK(number("007") == Decimal{7, 0});
  CHECK(number("0.5").is_integer() == false);
  CHECK(number("15.0").is_integer());
  CHECK(number("0.25").to_double() == doctest::Approx(0.25));
}

TEST_CASE("at most 18 significant digits") {
  CHECK(number("123456789012345678") == Decimal{123456789012345678, 0});
  CHECK(number("999999999999999999") == Decimal{999999999999999999, 0});
  CHECK(number("0.000123") == Decimal{123, 6});  // leading zeros are not significant
  CHECK(number("0.000000000000000000123456789012345678") == Decimal{123456789012345678, 36});
  CHECK(number("12345678901234567.8") == Decimal{123456789012345678, 1});

  for (const char* text : {"1234567890123456789", "1000000000000000000", "1.234567890123456789", "12345678901234567.89",
                           "9_223_372_036_854_775_807"}) {
    CAPTURE(text);
    auto r = parse_number(text);
    REQUIRE(std::holds_alternative<LiteralError>(r));
    CHECK(std::get<LiteralError>(r).kind == LiteralErrorKind::TooPrecise);
    CHECK(std::get<LiteralError>(r).detail == "18 significant digits");
  }
  // The same limit applies to the number of a quantity.
  CHECK(quantity_error("1234567890123456789B").kind == LiteralErrorKind::TooPrecise);
  CHECK(bytes("123456789012345678B") == 123456789012345678);
}

TEST_CASE("tiny fractions with many leading zeros round up without overflowing") {
  // 40 fraction digits: 10^40 does not fit in 128 bits.
  CHECK(bytes("0.0000000000000000000000000000000000000001Ki") == 1);
  CHECK(seconds("0.00000000000000000000000000000000000000000000000000000000000000000000000000000001s") == 1);
  CHECK(bytes("0.0000000000000000000000000000000000000000B") == 0);
  Quantity m = quantity("0.000000000000000000000000000000000000000000001m");
  CHECK(m.seconds == 1);
  CHECK_FALSE(m.millicores.has_value());
  CHECK(scale_round_up(Decimal{1, 60}, 1) == 1);
  CHECK(scale_round_up(Decimal{-1, 60}, 1) == 0);
  CHECK(scale_round_up(Decimal{999999999999999999, 200}, 1125899906842624) == 1);
}

TEST_CASE("unknown units suggest the closest known unit") {
  SUBCASE("Mb → MB") {
    LiteralError e = quantity_error("512Mb");
    CHECK(e.kind == LiteralErrorKind::UnknownUnit);
    CHECK(e.detail == "Mb");
    CHECK(e.offset == 3);
    CHECK(e.length == 2);
    CHECK(e.suggestion == "MB");
  }
  SUBCASE("mb → MB (case only)") {
    CHECK(quantity_error("512mb").suggestion == "MB");
  }
  SUBCASE("gib → GiB") {
    CHECK(quantity_error("1gib").suggestion == "GiB");
  }
  SUBCASE("Mo → M (ties break byte-wise)") {
    // `M` (one deletion), `MB`, `Mi` and `m` (one substitution each) tie at distance 1: the tie
    // breaks byte-wise, so the answer is stable.
    LiteralError e = quantity_error("5Mo");
    CHECK(e.suggestion == "M");
  }
  SUBCASE("hr → h") {
    CHECK(quantity_error("2hr").suggestion == "h");
  }
  SUBCASE("sec is too far from s for a suggestion") {
    LiteralError e = quantity_error("30sec");
    CHECK(e.kind == LiteralErrorKind::UnknownUnit);
    CHECK(e.detail == "sec");
    CHECK(e.suggestion == std::nullopt);
  }
  SUBCASE("a one-letter unit that shares nothing gets no suggestion") {
    // `1e6` lexes as `1e` `6`: suggesting `%` (or any other letter) for `e` would be noise.
    LiteralError e = quantity_error("1e");
    CHECK(e.kind == LiteralErrorKind::UnknownUnit);
    CHECK(e.detail == "e");
    CHECK(e.offset == 1);
    CHECK(e.suggestion == std::nullopt);
  }
  SUBCASE("an unknown unit in the second part of a compound") {
    LiteralError e = quantity_error("1h30x");
    CHECK(e.kind == LiteralErrorKind::UnknownUnit);
    CHECK(e.detail == "x");
    CHECK(e.offset == 4);
  }
}

TEST_CASE("known_units lists all 27 units") {
  const auto& units = known_units();
  CHECK(units.size() == 27);
  for (const char* u : {"B",   "K",  "KB",  "M",  "MB",  "G",  "GB",  "T", "TB", "P", "PB", "Ki", "KiB", "Mi",
                        "MiB", "Gi", "GiB", "Ti", "TiB", "Pi", "PiB", "s", "m",  "h", "d",  "w",  "%"}) {
    CAPTURE(u);
    CHECK(std::find(units.begin(), units.end(), u) != units.end());
  }
}

TEST_CASE("checked arithmetic") {
  CHECK(checked_mul(kMax, 1) == kMax);
  CHECK(checked_mul(kMax, 2) == std::nullopt);
  CHECK(checked_mul(kMax, -1) == -kMax);
  CHECK(checked_mul(kMin, -1) == std::nullopt);
  CHECK(checked_mul(kMin, 1) == kMin);
  CHECK(checked_mul(-1, kMin) == std::nullopt);
  CHECK(checked_mul(3037000499, 3037000499) == 9223372030926249001);
  CHECK(checked_mul(3037000500, 3037000500) == std::nullopt);
  CHECK(checked_mul(0, kMin) == 0);

  CHECK(checked_add(kMax, 0) == kMax);
  CHECK(checked_add(kMax, 1) == std::nullopt);
  CHECK(checked_add(kMin, -1) == std::nullopt);
  CHECK(checked_add(kMax, kMin) == -1);
  CHECK(checked_add(kMin, 0) == kMin);
}

TEST_CASE("scale_round_up") {
  CHECK(scale_round_up(Decimal{15, 1}, 1024) == 1536);
  CHECK(scale_round_up(Decimal{1, 1}, 1024) == 103);
  CHECK(scale_round_up(Decimal{5, 0}, 7) == 35);
  CHECK(scale_round_up(Decimal{0, 0}, 1024) == 0);
  CHECK(scale_round_up(Decimal{kMax, 0}, 1) == kMax);
  CHECK(scale_round_up(Decimal{kMax, 0}, 2) == std::nullopt);
  // Exact at 128 bits: (2^63 - 1) * 2^50 / 10^18 ≈ 1.04e16 fits.
  CHECK(scale_round_up(Decimal{kMax, 18}, 1125899906842624) == 10384593717069656);
  // Up means towards +infinity for negative values.
  CHECK(scale_round_up(Decimal{-15, 1}, 1) == -1);
  CHECK(scale_round_up(Decimal{-kMax, 0}, 1) == -kMax);
}
