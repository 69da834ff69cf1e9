#include "backends/contract/names.h"

#include <fmt/format.h>

#include <cstdint>

#include "backends/contract/accounts.h"
#include "compiler/support/names.h"

namespace platc::contract {

bool plans_pull_requests(const graph::Graph& g) {
  for (const auto& n : g.nodes) {
    if (n.kind != "pipeline") continue;
    const graph::Value* on = n.value("on");
    if (!on) return false;
    if (on->kind == graph::ValueKind::Call) return on->text == "pull_request";
    if (on->kind != graph::ValueKind::List) return false;
    for (const auto& t : on->items)
      if (t.kind == graph::ValueKind::Call && t.text == "pull_request") return true;
    return false;
  }
  return false;
}

std::string object_name(std::string_view id) {
  std::string out = k8s_spelling(id);
  return is_dns_label(out) ? out : "";
}

std::string ingress_name(std::string_view host) {
  std::string h(host);
  if (h.starts_with("*.")) h = "wildcard" + h.substr(1);
  return h;
}

std::string connection_secret(std::string_view id) {
  return object_name(id) + "-connection";
}

std::string env_secret(std::string_view workload) {
  return object_name(workload) + "-env-secret";
}

std::string hook_copy(std::string_view name) {
  return std::string(name) + "-hook";
}

Deployment::Deployment(std::string platform, std::string environment, std::string_view target_name)
    : platform_(std::move(platform)), environment_(std::move(environment)), target_(&contract::target(target_name)) {}

Deployment::Deployment(const graph::Graph& g) : Deployment(g.platform, g.environment, g.target) {
  if (const graph::Node* e = g.environment_node()) account_ = account_of(*e, target_->name);
  const graph::Node* p = g.platform_node();
  const graph::Value* r = p ? p->value("region") : nullptr;
  if (r && r->kind == graph::ValueKind::String) region_ = r->plain();
  if (r && r->kind == graph::ValueKind::Map)
    for (const auto& [cloud, value] : r->entries)
      if (cloud == target_->name) region_ = value.plain();
}

std::string Deployment::ns() const {
  return object_name(platform_ + "-" + environment_);
}

std::string Deployment::prefix() const {
  return object_name(platform_) + "-" + object_name(environment_);
}

std::string Deployment::dashboard_uid(std::string_view id) const {
  return prefix() + "-" + object_name(id);
}

std::string Deployment::cloud_name(const graph::Node& n) const {
  std::string name = prefix() + "-" + object_name(n.id);
  // SQS requires a FIFO queue's name to end in `.fifo`: it is part of the name the workloads'
  // SDKs, the dashboards and the IAM policies use.
  if (target_->cloud == Cloud::Aws && n.kind == "queue")
    if (const graph::Value* f = n.value("fifo"); f && f->kind == graph::ValueKind::Bool && f->b) name += ".fifo";
  if (target_->cloud == Cloud::Azure && n.kind == "bucket") {
    std::string s;
    for (char c : name)
      if (c != '-') s += c;
    return s.substr(0, 24);
  }
  return name;
}

std::string Deployment::output_name(const graph::Node& n) const {
  if (n.has_trait("workload") || n.has_trait("secret") || n.kind == "dashboard") return object_name(n.id);
  if (n.kind == "bucket" || n.kind == "cache" || n.kind == "queue") return cloud_name(n);
  return n.id;
}

std::optional<std::string> Deployment::known_output(const graph::Node& n, std::string_view output) const {
  if (output == "name") return output_name(n);
  if (n.kind == "bucket") return bucket_output(n, output);
  if (n.kind == "cache") {
    // The port depends on the cloud and on TLS (Memorystore 6378, Azure 6380 with TLS): the
    // same function gives the NetworkPolicy's egress port.
    const graph::Value* tls = n.value("tls");
    bool on = !tls || tls->kind != graph::ValueKind::Bool || tls->b;
    if (output == "port" && target_->cloud != Cloud::None) return std::to_string(cache_port(*target_, on));
    if (output == "tls") return std::string(on ? "true" : "false");
    return std::nullopt;
  }
  if (n.kind != "database") return std::nullopt;
  if (output == "port") {
    const graph::Value* e = n.value("engine");
    return std::to_string(database_port(e ? e->text : ""));
  }
  if (output == "database") return output_name(n);
  if (output == "ca_file") return ca_directory(n.id) + "/" + std::string(kCaFile);
  if (output == "tls_mode") {
    const graph::Value* e = n.value("engine");
    return e && e->text == "mysql" ? "VERIFY_IDENTITY" : "verify-full";
  }
  return std::nullopt;
}

std::optional<std::string> Deployment::environment_output(std::string_view output) const {
  if (output == "region" && !region_.empty()) return region_;
  return std::nullopt;
}

// A bucket lives in the platform's region. On Azure it is a blob container of the environment's
// storage account: the account is the cloud name, the container the block's Kubernetes name.
std::optional<std::string> Deployment::bucket_output(const graph::Node& n, std::string_view output) const {
  std::string name = cloud_name(n);
  if (output == "region") return region_.empty() ? std::nullopt : std::optional<std::string>(region_);
  if (output == "public_url") {
    if (n.has_block("cdn"))
      if (const graph::Value* h = n.value("cdn.host"); h && h->is_plain_string()) return "https://" + h->plain();
    const graph::Value* pub = n.value("public");
    if (!pub || pub->kind != graph::ValueKind::Bool || !pub->b) return std::nullopt;
    switch (target_->cloud) {
      case Cloud::Aws:
        if (region_.empty()) return std::nullopt;
        return "https://" + name + ".s3." + region_ + ".amazonaws.com";
      case Cloud::Gcp:
        return "https://storage.googleapis.com/" + name;
      case Cloud::Azure:
        return "https://" + name + ".blob.core.windows.net/" + object_name(n.id);
      case Cloud::None:
        return std::nullopt;
    }
  }
  switch (target_->cloud) {
    case Cloud::Aws:
      if (output == "url") return "s3://" + name;
      if (output == "endpoint" && !region_.empty()) return "https://s3." + region_ + ".amazonaws.com";
      break;
    case Cloud::Gcp:
      if (output == "url") return "gs://" + name;
      if (output == "endpoint") return std::string("https://storage.googleapis.com");
      break;
    case Cloud::Azure:
      if (output == "url") return "https://" + name + ".blob.core.windows.net/" + object_name(n.id);
      if (output == "endpoint") return "https://" + name + ".blob.core.windows.net";
      break;
    case Cloud::None:
      break;
  }
  return std::nullopt;
}

std::string ca_directory(std::string_view id) {
  return std::string(kCaRoot) + object_name(id);
}

std::string Deployment::connection_entry(std::string_view id) const {
  return prefix() + "-" + object_name(id) + "-connection";
}

std::string Deployment::pipeline_identity(std::string_view role) const {
  std::string full = prefix() + "-" + std::string(role);
  // projects.serviceAccounts.create: accountId of 6-30 characters, `[a-z]([-a-z0-9]*[a-z0-9])`.
  constexpr std::size_t kGcpAccountIdMax = 30;
  if (target_->cloud != Cloud::Gcp || full.size() <= kGcpAccountIdMax) return full;
  // FNV-1a of the whole name: the same id on every run and machine, and two prefixes that share
  // their first characters still differ.
  std::uint32_t h = 2166136261u;
  for (char c : full) {
    h ^= static_cast<unsigned char>(c);
    h *= 16777619u;
  }
  std::string head = prefix().substr(0, kGcpAccountIdMax - role.size() - 6);
  while (!head.empty() && head.back() == '-') head.pop_back();
  return fmt::format("{}-{:04x}-{}", head, h & 0xFFFFu, role);
}

std::string Deployment::identity(std::string_view workload) const {
  // A GCP service account id has 6-30 characters and lives in the environment's own project, so
  // the prefix would only cost length; `-identity` makes two-letter workloads long enough.
  if (target_->identity == IdentityBinding::GkeWorkloadIdentity) return std::string(workload) + "-identity";
  return prefix() + "-" + std::string(workload);
}

std::string Deployment::identity_reference(std::string_view workload) const {
  switch (target_->identity) {
    case IdentityBinding::AwsIrsa:
      // Without a declared account the id is a placeholder, which the pipeline replaces with the
      // role's ARN from the Terraform output (Target::identity_output).
      return "arn:aws:iam::" + (account_.empty() ? std::string(kPlaceholderAccount) : account_) + ":role/" +
             identity(workload);
    case IdentityBinding::GkeWorkloadIdentity:
      // The service account lives in the environment's project: the declared `account`, else
      // `<platform>-<env>` (gcp_project), where the GCP module creates it.
      return fmt::format("{}@{}.iam.gserviceaccount.com", identity(workload), gcp_project());
    case IdentityBinding::AzureWorkloadIdentity:
      // The managed identity's client id, known after it is created.
      return "00000000-0000-0000-0000-000000000000";
    case IdentityBinding::None:
      break;
  }
  return "";
}

std::string Deployment::rds_instance_arn(const graph::Node& database) const {
  return "arn:aws:rds:" + region_ + ":" + (account_.empty() ? std::string(kPlaceholderAccount) : account_) +
         ":db:" + cloud_name(database);
}

std::string Deployment::certificate(std::string_view host) const {
  std::string out;
  for (char c : ingress_name(host)) out += c == '.' ? '-' : c;
  return prefix() + "-" + out;
}

std::string Deployment::build_image(std::string_view path, std::string_view id) const {
  return fmt::format("{}/{}:{}", kBuildRegistry, build_repository(path, id), kDevTag);
}

std::string Deployment::container_registry() const {
  switch (target_->cloud) {
    case Cloud::Gcp:
      return object_name(platform_);
    case Cloud::Azure: {
      std::string out;
      for (char c : prefix())
        if (c != '-' && c != '_') out += c;
      return out;
    }
    default:
      return "";
  }
}

std::string Deployment::build_repository(std::string_view path_in, std::string_view id) const {
  std::string path(path_in);
  while (path.starts_with("./")) path = path.substr(2);
  while (!path.empty() && path.back() == '/') path.pop_back();
  std::string repo;
  for (char c : path) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-' || c == '/';
    repo += ok ? c : '-';
  }
  if (repo.empty() || repo.find("..") != std::string::npos || repo.front() == '/' || repo.front() == '.')
    repo = object_name(id);
  return object_name(platform_) + "/" + repo;
}

}  // namespace platc::contract
