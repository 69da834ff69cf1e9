// The rules for names, labels and tags, in one place: how a block's name is spelled in
// Kubernetes and which names Kubernetes accepts (sema checks them at check time, the backends
// write them), label keys and values (sema checks the keys the user writes, the policies the
// values, the backends sanitise what they copy), and the tags each cloud accepts (P0202).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace platc {

// ---- Kubernetes names ------------------------------------------------------------------------

// Names that become Kubernetes objects leave room for suffixes: a CronJob's Jobs append 11
// characters to a name of at most 63.
inline constexpr std::size_t kMaxObjectName = 52;

// The Kubernetes spelling of a block's name: lower case, `_` as `-`. Services, workers, jobs,
// secrets and dashboards become Kubernetes objects of that name.
std::string k8s_spelling(std::string_view id);

// A DNS-1123 label of at most `max` characters: [a-z0-9-], alphanumeric at both ends. Object
// names and namespaces.
bool is_dns_label(std::string_view s, std::size_t max = 63);

// One label of a host name: the same, in either case (DNS compares names case-insensitively).
bool is_host_label(std::string_view s);

// Why `spelled` (a name as Kubernetes would spell it) cannot be one of at most `max`
// characters; empty when it can.
std::string name_problem(std::string_view spelled, std::size_t max);

// A name that would do instead: `spelled` without leading and trailing hyphens, cut to `max`.
std::string name_suggestion(std::string_view spelled, std::size_t max);

// Why `name` is not a Kubernetes port name (IANA_SVC_NAME: at most 15 lower-case letters,
// digits and single `-`, at least one letter); empty when it is one.
std::string port_name_problem(std::string_view name);

// ---- Kubernetes labels and annotations -------------------------------------------------------

// The name part of a label or annotation key: 1 to 63 of [A-Za-z0-9-_.], alphanumeric at both
// ends.
bool is_label_name(std::string_view s);

// A label value: empty, or what is_label_name accepts.
bool is_label_value(std::string_view s);

// A DNS subdomain: dot-separated DNS labels, at most 253 characters. The names of most Kubernetes
// objects (an IngressClass, say) and the prefixes of keys.
bool is_dns_subdomain(std::string_view s);

// A whole key, `[prefix/]name`: the optional prefix is a DNS subdomain (dot-separated DNS labels,
// at most 253 characters), the name as is_label_name.
bool is_qualified_key(std::string_view s);

// Any text made into a valid label key name or value: characters outside [A-Za-z0-9-_.] become
// `-`, then it is cut to 63 and stripped of non-alphanumerics at both ends (possibly to "").
std::string sanitize_label(std::string_view s);

// ---- paths in containers -------------------------------------------------------------------

// Why `path` is not a directory a volume can be mounted at, written once (absolute, not `/`, no
// empty, `.` or `..` segment, no trailing `/`, no `:`); empty when it is one. One spelling per
// directory, so two mounts of the same directory are two equal strings.
std::string mount_path_problem(std::string_view path);

// ---- cloud tags ------------------------------------------------------------------------------

// Why a tag `key = value` is not accepted by `cloud` (`aws`, `gcp`, `azure`); empty when it is,
// or when platc knows no rules for that cloud.
std::string cloud_tag_problem(std::string_view cloud, std::string_view key, std::string_view value);

// What the cloud calls a tag, for messages: "AWS tag", "GCP label", "Azure tag".
std::string cloud_tag_noun(std::string_view cloud);

}  // namespace platc
