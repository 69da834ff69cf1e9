#include "compiler/graph/value.h"

#include <fmt/format.h>

namespace platc::graph {

Value::Value() = default;

bool Value::is_plain_string() const {
  if (kind != ValueKind::String) return false;
  for (const auto& p : pieces)
    if (!p.ref_resource.empty()) return false;
  return true;
}

std::string Value::plain() const {
  std::string out;
  for (const auto& p : pieces) {
    if (p.ref_resource.empty())
      out += p.text;
    else
      out += fmt::format("${{{}.{}}}", p.ref_resource, p.ref_output);
  }
  return out;
}

void Value::collect_refs(std::vector<const Value*>& out, std::vector<const StringPiece*>& pieces_out) const {
  if (kind == ValueKind::Ref) out.push_back(this);
  for (const auto& p : pieces)
    if (!p.ref_resource.empty()) pieces_out.push_back(&p);
  for (const auto& v : items) v.collect_refs(out, pieces_out);
  for (const auto& [k, v] : entries) v.collect_refs(out, pieces_out);
}

std::string format_decimal(const Decimal& d) {
  if (d.scale == 0) return std::to_string(d.mantissa);
  bool neg = d.mantissa < 0;
  std::uint64_t magnitude = neg ? 0 - static_cast<std::uint64_t>(d.mantissa) : static_cast<std::uint64_t>(d.mantissa);
  std::string digits = std::to_string(magnitude);
  while (digits.size() <= d.scale) digits.insert(digits.begin(), '0');
  std::string out = digits.substr(0, digits.size() - d.scale) + "." + digits.substr(digits.size() - d.scale);
  while (out.back() == '0') out.pop_back();
  if (out.back() == '.') out.pop_back();
  return neg ? "-" + out : out;
}

std::string format_bytes(std::int64_t bytes) {
  if (bytes == 0) return "0";
  static const char* binary[] = {"Ei", "Pi", "Ti", "Gi", "Mi", "Ki"};
  for (int k = 0; k < 6; ++k) {
    std::int64_t unit = std::int64_t{1} << (10 * (6 - k));
    if (bytes % unit == 0) return fmt::format("{}{}", bytes / unit, binary[k]);
  }
  static const char* decimal[] = {"E", "P", "T", "G", "M", "k"};
  std::int64_t unit = 1'000'000'000'000'000'000;
  for (int k = 0; k < 6; ++k, unit /= 1000)
    if (bytes % unit == 0) return fmt::format("{}{}", bytes / unit, decimal[k]);
  return std::to_string(bytes);
}

std::string format_seconds(std::int64_t s) {
  if (s == 0) return "0s";
  if (s % 604800 == 0) return fmt::format("{}w", s / 604800);
  std::string out;
  auto part = [&](std::int64_t unit, const char* name) {
    if (s >= unit) {
      out += fmt::format("{}{}", s / unit, name);
      s %= unit;
    }
  };
  part(86400, "d");
  part(3600, "h");
  part(60, "m");
  part(1, "s");
  return out;
}

std::string format_millicores(std::int64_t milli) {
  if (milli % 1000 == 0) return std::to_string(milli / 1000);
  return fmt::format("{}m", milli);
}

namespace {
std::string quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "\"";
}
std::string join(const std::vector<Value>& items, const char* sep) {
  std::string out;
  for (std::size_t k = 0; k < items.size(); ++k) {
    if (k) out += sep;
    out += items[k].display();
  }
  return out;
}
}  // namespace

bool Value::holds_secret() const {
  if (secret) return true;
  for (const auto& v : items)
    if (v.holds_secret()) return true;
  for (const auto& [k, v] : entries)
    if (v.holds_secret()) return true;
  return false;
}

std::string Value::display() const {
  if (secret) return "(redacted)";
  switch (kind) {
    case ValueKind::Bool:
      return b ? "true" : "false";
    case ValueKind::Int:
      return std::to_string(i);
    case ValueKind::Number:
      return format_decimal(dec);
    case ValueKind::Size:
      return format_bytes(i);
    case ValueKind::Duration:
      return format_seconds(i);
    case ValueKind::Cpu:
      return format_millicores(i);
    case ValueKind::Percent:
      return format_decimal(dec) + "%";
    case ValueKind::String:
      return quote(plain());
    case ValueKind::Symbol:
      return text;
    case ValueKind::Engine:
      return text2.empty() ? text : text + " " + text2;
    case ValueKind::Ref:
      return text2.empty() ? text : text + "." + text2;
    case ValueKind::List:
      return "[" + join(items, ", ") + "]";
    case ValueKind::Map: {
      std::string out = "{ ";
      for (std::size_t k = 0; k < entries.size(); ++k) {
        if (k) out += ", ";
        out += entries[k].first + " = " + entries[k].second.display();
      }
      return entries.empty() ? "{}" : out + " }";
    }
    case ValueKind::Range:
      return items.size() == 2 ? items[0].display() + " .. " + items[1].display() : "";
    case ValueKind::Call: {
      std::string out = text + "(" + join(items, ", ");
      for (const auto& [k, v] : entries) out += (out.back() == '(' ? "" : ", ") + k + " = " + v.display();
      return out + ")";
    }
    case ValueKind::Chain:
      return join(items, " -> ");
    case ValueKind::Compare:
      return items.size() == 2 ? items[0].display() + " " + text + " " + items[1].display() : "";
  }
  return "";
}

bool Value::same(const Value& o) const {
  if (kind != o.kind || b != o.b || i != o.i || !(dec == o.dec) || text != o.text || text2 != o.text2 ||
      pieces != o.pieces || items.size() != o.items.size() || entries.size() != o.entries.size())
    return false;
  for (std::size_t k = 0; k < items.size(); ++k)
    if (!items[k].same(o.items[k])) return false;
  for (std::size_t k = 0; k < entries.size(); ++k)
    if (entries[k].first != o.entries[k].first || !entries[k].second.same(o.entries[k].second)) return false;
  return true;
}

}  // namespace platc::graph
