// The Kubernetes name of a resource, defined once for sema (`${x.name}`, name checks) and the
// backends: lower case, `_` as `-`. Services, workers, jobs, secrets and dashboards become
// Kubernetes objects of that name.
#pragma once

#include <string>
#include <string_view>

namespace platc {

// Names that become Kubernetes objects leave room for suffixes: a CronJob's Jobs append 11
// characters to a name of at most 63.
inline constexpr std::size_t kMaxObjectName = 52;

inline std::string k8s_spelling(std::string_view id) {
  std::string out;
  for (char c : id) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    out += c == '_' ? '-' : c;
  }
  return out;
}

// A DNS-1123 label of at most `max` characters: [a-z0-9-], alphanumeric at both ends.
inline bool is_dns_label(std::string_view s, std::size_t max = 63) {
  if (s.empty() || s.size() > max) return false;
  auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  if (!alnum(s.front()) || !alnum(s.back())) return false;
  for (char c : s)
    if (!alnum(c) && c != '-') return false;
  return true;
}

// Does a block of this kind become a Kubernetes object named after it?
inline bool becomes_k8s_object(std::string_view kind) {
  return kind == "service" || kind == "worker" || kind == "job" || kind == "secret" || kind == "dashboard";
}

}  // namespace platc
