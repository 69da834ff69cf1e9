#include "backends/kubernetes/names.h"

#include <fmt/format.h>

#include "compiler/support/k8s_name.h"

namespace platc::kubernetes {

std::string name_problem(const std::string& spelled, std::size_t max) {
  if (spelled.size() > max) return fmt::format("`{}` is {} characters, at most {} fit", spelled, spelled.size(), max);
  if (!is_dns_label(spelled, max)) return fmt::format("`{}` does not start and end with a letter or digit", spelled);
  return "";
}

std::string name_suggestion(std::string spelled, std::size_t max) {
  while (!spelled.empty() && spelled.front() == '-') spelled.erase(spelled.begin());
  if (spelled.size() > max) spelled.resize(max);
  while (!spelled.empty() && spelled.back() == '-') spelled.pop_back();
  return spelled;
}

std::string port_name_problem(const std::string& name) {
  if (name.empty() || name.size() > 15) return "more than 15 characters";
  bool letter = false;
  for (char c : name) {
    if (c >= 'a' && c <= 'z')
      letter = true;
    else if (!(c >= '0' && c <= '9') && c != '-')
      return "only lower-case letters, digits and `-`";
  }
  if (!letter) return "no letter";
  if (name.front() == '-' || name.back() == '-' || name.find("--") != std::string::npos)
    return "a `-` at an end or twice in a row";
  return "";
}

}  // namespace platc::kubernetes
