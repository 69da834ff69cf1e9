#include "compiler/support/names.h"

#include <fmt/format.h>

#include "compiler/support/ascii.h"

namespace platc {
namespace {

using ascii::is_alnum;
using ascii::is_digit;
using ascii::is_lower;
using ascii::is_upper;

bool non_ascii(char c) {
  return static_cast<unsigned char>(c) >= 0x80;
}

template <typename Pred>
bool all_of(std::string_view s, Pred ok) {
  for (char c : s)
    if (!ok(c)) return false;
  return true;
}

}  // namespace

// ---- Kubernetes names ------------------------------------------------------------------------

std::string k8s_spelling(std::string_view id) {
  std::string out;
  for (char c : id) {
    if (is_upper(c)) c = static_cast<char>(c - 'A' + 'a');
    out += c == '_' ? '-' : c;
  }
  return out;
}

bool is_dns_label(std::string_view s, std::size_t max) {
  auto ok = [](char c) { return is_lower(c) || is_digit(c); };
  if (s.empty() || s.size() > max) return false;
  if (!ok(s.front()) || !ok(s.back())) return false;
  return all_of(s, [&](char c) { return ok(c) || c == '-'; });
}

bool is_host_label(std::string_view s) {
  if (s.empty() || s.size() > 63) return false;
  if (!is_alnum(s.front()) || !is_alnum(s.back())) return false;
  return all_of(s, [](char c) { return is_alnum(c) || c == '-'; });
}

std::string name_problem(std::string_view spelled, std::size_t max) {
  if (spelled.size() > max) return fmt::format("`{}` is {} characters, at most {} fit", spelled, spelled.size(), max);
  if (!is_dns_label(spelled, max)) return fmt::format("`{}` does not start and end with a letter or digit", spelled);
  return "";
}

std::string name_suggestion(std::string_view spelled, std::size_t max) {
  while (!spelled.empty() && spelled.front() == '-') spelled.remove_prefix(1);
  if (spelled.size() > max) spelled = spelled.substr(0, max);
  while (!spelled.empty() && spelled.back() == '-') spelled.remove_suffix(1);
  return std::string(spelled);
}

std::string port_name_problem(std::string_view name) {
  if (name.empty() || name.size() > 15) return "more than 15 characters";
  bool letter = false;
  for (char c : name) {
    if (is_lower(c))
      letter = true;
    else if (!is_digit(c) && c != '-')
      return "only lower-case letters, digits and `-`";
  }
  if (!letter) return "no letter";
  if (name.front() == '-' || name.back() == '-' || name.find("--") != std::string_view::npos)
    return "a `-` at an end or twice in a row";
  return "";
}

// ---- Kubernetes labels and annotations -------------------------------------------------------

bool is_label_name(std::string_view s) {
  if (s.empty() || s.size() > 63) return false;
  if (!is_alnum(s.front()) || !is_alnum(s.back())) return false;
  return all_of(s, [](char c) { return is_alnum(c) || c == '-' || c == '_' || c == '.'; });
}

bool is_label_value(std::string_view s) {
  return s.empty() || is_label_name(s);
}

bool is_dns_subdomain(std::string_view s) {
  if (s.empty() || s.size() > 253) return false;
  for (;;) {
    auto dot = s.find('.');
    if (!is_dns_label(s.substr(0, dot))) return false;
    if (dot == std::string_view::npos) return true;
    s.remove_prefix(dot + 1);
  }
}

bool is_qualified_key(std::string_view s) {
  auto slash = s.find('/');
  if (slash == std::string_view::npos) return is_label_name(s);
  return is_dns_subdomain(s.substr(0, slash)) && is_label_name(s.substr(slash + 1));
}

std::string sanitize_label(std::string_view s) {
  std::string out;
  for (char c : s) out += is_alnum(c) || c == '-' || c == '_' || c == '.' ? c : '-';
  if (out.size() > 63) out.resize(63);
  while (!out.empty() && !is_alnum(out.back())) out.pop_back();
  std::size_t k = 0;
  while (k < out.size() && !is_alnum(out[k])) ++k;
  return out.substr(k);
}

// ---- cloud tags ------------------------------------------------------------------------------

std::string cloud_tag_problem(std::string_view cloud, std::string_view key, std::string_view value) {
  if (cloud == "aws") {
    auto ok = [](char c) {
      return non_ascii(c) || is_alnum(c) || std::string_view(" _.:/=+-@").find(c) != std::string_view::npos;
    };
    if (key.size() > 128) return "AWS tag keys are at most 128 characters";
    if (value.size() > 256) return "AWS tag values are at most 256 characters";
    if (key.starts_with("aws:")) return "the `aws:` prefix is reserved by AWS";
    if (!all_of(key, ok) || !all_of(value, ok)) return "AWS tags allow letters, digits, spaces and `_ . : / = + - @`";
  } else if (cloud == "gcp") {
    auto ok = [](char c) { return non_ascii(c) || is_lower(c) || is_digit(c) || c == '_' || c == '-'; };
    if (key.empty() || key.size() > 63 || !is_lower(key.front()))
      return "GCP label keys are 1 to 63 characters starting with a lower-case letter";
    if (value.size() > 63) return "GCP label values are at most 63 characters";
    if (!all_of(key, ok) || !all_of(value, ok)) return "GCP labels allow only lower-case letters, digits, `_` and `-`";
  } else if (cloud == "azure") {
    if (key.size() > 512) return "Azure tag names are at most 512 characters";
    if (value.size() > 256) return "Azure tag values are at most 256 characters";
    if (key.find_first_of("<>%&\\?/") != std::string_view::npos) return "Azure tag names cannot contain `< > % & \\ ? /`";
  }
  return "";
}

std::string cloud_tag_noun(std::string_view cloud) {
  if (cloud == "gcp") return "GCP label";
  if (cloud == "aws") return "AWS tag";
  if (cloud == "azure") return "Azure tag";
  return "tag";
}

std::string mount_path_problem(std::string_view path) {
  if (path.empty() || path.front() != '/') return "not an absolute path";
  if (path == "/") return "the root directory";
  if (path.back() == '/') return "ends with `/`";
  if (path.find(':') != std::string_view::npos) return "contains `:`";
  std::size_t at = 1;
  while (at <= path.size()) {
    std::size_t end = path.find('/', at);
    if (end == std::string_view::npos) end = path.size();
    std::string_view seg = path.substr(at, end - at);
    if (seg.empty()) return "contains `//`";
    if (seg == "." || seg == "..") return fmt::format("contains a `{}` segment", seg);
    at = end + 1;
  }
  return "";
}

}  // namespace platc
