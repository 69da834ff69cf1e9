#include "compiler/support/cidr.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdint>

namespace platc {
namespace {

bool parse_number(std::string_view s, int max, int& out) {
  if (s.empty() || s.size() > 3) return false;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && end == s.data() + s.size() && out >= 0 && out <= max;
}

// The four octets of a dotted IPv4 address, or false.
bool parse_ipv4(std::string_view addr, std::uint32_t& out) {
  out = 0;
  int parts = 0;
  for (std::size_t at = 0; at <= addr.size(); ++parts) {
    std::size_t dot = std::min(addr.find('.', at), addr.size());
    int octet = 0;
    if (parts == 4 || !parse_number(addr.substr(at, dot - at), 255, octet)) return false;
    out = (out << 8) | static_cast<std::uint32_t>(octet);
    at = dot + 1;
  }
  return parts == 4;
}

}  // namespace

std::string cidr_problem(std::string_view s) {
  auto slash = s.find('/');
  if (slash == std::string_view::npos) return "a range needs its prefix length, such as `/24`";
  std::string_view addr = s.substr(0, slash), len = s.substr(slash + 1);
  int bits = 0;
  if (addr.find(':') != std::string_view::npos) {
    bool ok = addr.size() >= 2 && std::all_of(addr.begin(), addr.end(), [](char c) {
                return std::isxdigit(static_cast<unsigned char>(c)) || c == ':';
              });
    if (!ok) return "not an IPv6 address";
    return parse_number(len, 128, bits) ? "" : "the prefix length of an IPv6 range is 0 to 128";
  }
  std::uint32_t ip = 0;
  if (!parse_ipv4(addr, ip)) return "not an IPv4 address (four numbers 0 to 255)";
  return parse_number(len, 32, bits) ? "" : "the prefix length of an IPv4 range is 0 to 32";
}

std::string cidr_network(std::string_view s) {
  if (!cidr_problem(s).empty() || s.find(':') != std::string_view::npos) return std::string(s);
  auto slash = s.find('/');
  std::uint32_t ip = 0;
  int bits = 0;
  parse_ipv4(s.substr(0, slash), ip);
  parse_number(s.substr(slash + 1), 32, bits);
  std::uint32_t mask = bits == 0 ? 0 : ~std::uint32_t{0} << (32 - bits);
  ip &= mask;
  return std::to_string(ip >> 24) + "." + std::to_string((ip >> 16) & 255) + "." + std::to_string((ip >> 8) & 255) +
         "." + std::to_string(ip & 255) + "/" + std::to_string(bits);
}

bool cidr_contains(std::string_view outer, std::string_view inner) {
  auto parse = [](std::string_view s, std::uint32_t& ip, int& bits) {
    auto slash = s.find('/');
    return slash != std::string_view::npos && s.find(':') == std::string_view::npos &&
           parse_ipv4(s.substr(0, slash), ip) && parse_number(s.substr(slash + 1), 32, bits);
  };
  std::uint32_t a = 0, b = 0;
  int abits = 0, bbits = 0;
  if (!parse(outer, a, abits) || !parse(inner, b, bbits) || bbits < abits) return false;
  std::uint32_t mask = abits == 0 ? 0 : ~std::uint32_t{0} << (32 - abits);
  return (a & mask) == (b & mask);
}

bool cidr_is_everything(std::string_view s) {
  int bits = -1;
  return cidr_problem(s).empty() && parse_number(s.substr(s.find('/') + 1), 128, bits) && bits == 0;
}

}  // namespace platc
