#include "compiler/sema/formats.h"

#include <fmt/format.h>

#include <cctype>
#include <cstdlib>
#include <vector>

#include "compiler/support/cidr.h"
#include "compiler/support/image_ref.h"
#include "compiler/support/names.h"

namespace platc::sema {
namespace {

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  for (std::size_t k = 0; k <= s.size(); ++k) {
    if (k == s.size() || s[k] == sep) {
      out.push_back(s.substr(start, k - start));
      start = k + 1;
    }
  }
  return out;
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

// One cron field: `*`, `*/n`, `a`, `a-b`, `a-b/n`, comma lists of those; names for months and days.
std::string field_problem(std::string_view field, const char* what, int lo, int hi,
                          const std::vector<std::string_view>& names) {
  auto number = [&](std::string_view s, int& out) -> bool {
    for (std::size_t k = 0; k < names.size(); ++k) {
      if (s.size() == names[k].size()) {
        bool same = true;
        for (std::size_t c = 0; c < s.size(); ++c)
          if (std::toupper(static_cast<unsigned char>(s[c])) != names[k][c]) same = false;
        if (same) {
          out = lo + static_cast<int>(k);
          return true;
        }
      }
    }
    if (!all_digits(s) || s.size() > 4) return false;
    out = std::atoi(std::string(s).c_str());
    return true;
  };
  for (std::string_view part : split(field, ',')) {
    if (part.empty()) return fmt::format("the {} field has an empty list item", what);
    std::string_view range = part;
    if (auto slash = part.find('/'); slash != std::string_view::npos) {
      range = part.substr(0, slash);
      std::string_view step = part.substr(slash + 1);
      if (!all_digits(step) || std::atoi(std::string(step).c_str()) == 0)
        return fmt::format("the step `/{}` in the {} field must be a positive number", step, what);
    }
    if (range == "*") continue;
    int a = 0, b = 0;
    if (auto dash = range.find('-'); dash != std::string_view::npos) {
      if (!number(range.substr(0, dash), a) || !number(range.substr(dash + 1), b))
        return fmt::format("`{}` is not a valid {} range", range, what);
      if (a > b) return fmt::format("the {} range `{}` runs backwards", what, range);
    } else {
      if (!number(range, a)) return fmt::format("`{}` is not a valid {}", range, what);
      b = a;
    }
    if (a < lo || b > hi) return fmt::format("the {} must be between {} and {}, not `{}`", what, lo, hi, range);
  }
  return "";
}

}  // namespace

std::string cron_problem(std::string_view spec) {
  static const std::string_view kMacros[] = {"@yearly", "@annually", "@monthly", "@weekly",
                                             "@daily",  "@midnight", "@hourly"};
  for (auto m : kMacros)
    if (spec == m) return "";
  std::vector<std::string_view> fields;
  for (std::string_view f : split(spec, ' '))
    if (!f.empty()) fields.push_back(f);
  if (fields.size() != 5)
    return fmt::format("a schedule has 5 fields (minute hour day-of-month month day-of-week), this one has {}",
                       fields.size());
  static const std::vector<std::string_view> kMonths = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                                        "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
  static const std::vector<std::string_view> kDays = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};
  struct F {
    const char* what;
    int lo, hi;
    const std::vector<std::string_view>* names;
  };
  static const std::vector<std::string_view> kNone;
  const F spec_fields[] = {{"minute", 0, 59, &kNone},
                           {"hour", 0, 23, &kNone},
                           {"day of month", 1, 31, &kNone},
                           {"month", 1, 12, &kMonths},
                           {"day of week", 0, 7, &kDays}};
  for (int k = 0; k < 5; ++k) {
    std::string p =
        field_problem(fields[k], spec_fields[k].what, spec_fields[k].lo, spec_fields[k].hi, *spec_fields[k].names);
    if (!p.empty()) return p;
  }
  return "";
}

std::string host_problem(std::string_view host) {
  if (host.empty()) return "a host name cannot be empty";
  if (host.size() > 253) return "a host name has at most 253 characters";
  std::string_view h = host;
  if (h.starts_with("*.")) h.remove_prefix(2);  // a wildcard certificate host
  for (std::string_view label : split(h, '.')) {
    if (label.empty()) return "a host name has no empty labels: two dots in a row, or a dot at either end";
    if (!is_host_label(label))
      return fmt::format("`{}` is not a DNS label (letters, digits and inner hyphens, at most 63)", label);
  }
  return "";
}

std::string format_problem(TypeTag tag, const graph::Value& v) {
  // References stand for a word here: their values are checked where they are produced.
  std::string s;
  bool has_ref = false;
  for (const auto& p : v.pieces) {
    if (p.ref_resource.empty())
      s += p.text;
    else {
      s += "x";
      has_ref = true;
    }
  }
  switch (tag) {
    case TypeTag::Cron:
      if (has_ref) return "a schedule cannot contain `${…}`";
      return cron_problem(s);
    case TypeTag::Url: {
      auto scheme = s.find("://");
      if (scheme == std::string::npos || scheme == 0) return "a URL starts with a scheme such as `https://`";
      std::string_view rest = std::string_view(s).substr(scheme + 3);
      if (rest.empty() || rest.front() == '/') return "the URL has no host";
      return "";
    }
    case TypeTag::Host:
      return host_problem(s);
    case TypeTag::Cidr:
      if (has_ref) return "an address range cannot contain `${…}`";
      if (std::string why = cidr_problem(s); !why.empty()) return why;
      return cidr_network(s) == s ? "" : "the address has host bits set beyond the prefix";
    case TypeTag::Path:
      if (s.empty() || s.front() != '/') return "a path starts with `/`";
      for (char c : s)
        if (std::isspace(static_cast<unsigned char>(c))) return "a path has no spaces";
      return "";
    case TypeTag::Email: {
      auto at = s.find('@');
      if (at == std::string::npos || at == 0 || at + 1 >= s.size() || s.find('@', at + 1) != std::string::npos)
        return "an e-mail address has one `@` between a name and a domain";
      return host_problem(std::string_view(s).substr(at + 1)).empty() ? "" : "the domain after `@` is not a host name";
    }
    case TypeTag::Date: {
      if (has_ref) return "a date cannot contain `${…}`";
      if (s.size() != 10 || s[4] != '-' || s[7] != '-' || !all_digits(s.substr(0, 4)) || !all_digits(s.substr(5, 2)) ||
          !all_digits(s.substr(8, 2)))
        return "a date is written `YYYY-MM-DD`";
      int y = std::atoi(s.substr(0, 4).c_str()), m = std::atoi(s.substr(5, 2).c_str()),
          d = std::atoi(s.substr(8, 2).c_str());
      static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
      if (m < 1 || m > 12) return "the month must be between 01 and 12";
      int days = kDays[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0) ? 1 : 0);
      if (d < 1 || d > days) return fmt::format("that month has {} days", days);
      return "";
    }
    case TypeTag::Region:
      if (s.empty()) return "a region cannot be empty";
      for (char c : s)
        if (!std::islower(static_cast<unsigned char>(c)) && !std::isdigit(static_cast<unsigned char>(c)) && c != '-')
          return "a region is lower-case letters, digits and hyphens, such as `eu-west-1`";
      return "";
    case TypeTag::Image:
      return has_ref ? "" : image_ref_problem(s);
    default:
      return "";
  }
}

}  // namespace platc::sema
