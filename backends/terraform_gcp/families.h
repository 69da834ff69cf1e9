// The file families of the GCP Terraform backend, one .cpp each, in the order they run (a later
// family may reference the resources of an earlier one by the addresses below).
#pragma once

#include <string>
#include <vector>

#include "backends/terraform_gcp/context.h"

namespace platc::terraform_gcp {

// Addresses every family may reference.
inline constexpr const char* kNetwork = "google_compute_network.main";
inline constexpr const char* kSubnet = "google_compute_subnetwork.nodes";
inline constexpr const char* kCluster = "google_container_cluster.main";
// The private services access connection (Cloud SQL, Memorystore reach the network through it).
inline constexpr const char* kPrivateServices = "google_service_networking_connection.private_services";
// The environment's Cloud KMS key (kms.cpp), with `encryption` on.
inline constexpr const char* kKmsKey = "google_kms_crypto_key.main";

// `serviceAccount:<id>@<project>.iam.gserviceaccount.com` of an account the module creates.
Expr member_of(const std::string& account_label);
// The Kubernetes ServiceAccount `ns/sa` as a Workload Identity member of the cluster's pool.
Expr workload_member(const Context& c, const std::string& ns, const std::string& sa);

void platform_files(Context& c);  // versions.tf, providers.tf, backend.tf, apis.tf
void kms_files(Context& c);       // kms.tf: the key ring, the key, the service agents' grants
// A data store whose `encryption` asks for the platform's key (bucket, database, cache, queue,
// topic); whether any does; the grant of the kind's service agent, for `depends_on`.
// Secret Manager secrets and the Artifact Registry repository use the key when it exists
// (uses_cmek), with the grants `kms_grant("secret")` and `kms_grant("image")`.
bool wants_cmek(const graph::Node& n);
bool uses_cmek(const Context& c);
Expr kms_grant(std::string_view kind);
void network_files(Context& c);    // network.tf: VPC, subnet, Cloud NAT, private services access
void cluster_files(Context& c);    // cluster.tf: GKE, node pool, the nodes' service account
void database_files(Context& c);   // data.tf: Cloud SQL
void cache_files(Context& c);      // data.tf: Memorystore for Redis
void messaging_files(Context& c);  // messaging.tf: Pub/Sub, Managed Kafka
// The Managed Kafka cluster's bootstrap address (Google's documented form; the provider has no
// attribute for it): `bootstrap.<cluster>.<region>.managedkafka.<project>.cloud.goog:9092`.
std::string kafka_bootstrap(const Context& c);
void storage_files(Context& c);     // storage.tf: Cloud Storage
void registry_files(Context& c);    // registry.tf: Artifact Registry
void secret_files(Context& c);      // secrets.tf: Secret Manager
void identity_files(Context& c);    // identity.tf: workload service accounts, ESO, GitHub WIF
void dns_files(Context& c);         // dns.tf: Cloud DNS, Google-managed certificates
void monitoring_files(Context& c);  // monitoring.tf: Cloud Monitoring alert policies
void budget_files(Context& c);      // budget.tf: billing budgets

}  // namespace platc::terraform_gcp
