// The file families of the Azure Terraform backend, one .cpp each, in the order they run (a later
// family may reference the resources of an earlier one by the addresses below).
#pragma once

#include <string>
#include <vector>

#include "backends/terraform_azure/context.h"

namespace platc::terraform_azure {

// Addresses every family may reference.
inline constexpr const char* kGroup = "azurerm_resource_group.main";
inline constexpr const char* kVnet = "azurerm_virtual_network.main";
inline constexpr const char* kCluster = "azurerm_kubernetes_cluster.main";
inline constexpr const char* kVault = "azurerm_key_vault.main";
inline constexpr const char* kRegistry = "azurerm_container_registry.main";
inline constexpr const char* kClient = "data.azurerm_client_config.current";
// The subnets (network.cpp): the cluster's nodes and pods, the private endpoints of the data
// stores, and one delegated subnet per Flexible Server engine.
inline constexpr const char* kNodesSubnet = "azurerm_subnet.nodes";
inline constexpr const char* kEndpointsSubnet = "azurerm_subnet.endpoints";
inline constexpr const char* kGatewaySubnet = "azurerm_subnet.gateway";

// `name`, `resource_group_name` and `location` of a resource in the environment's group.
void placed(hcl::Block& b, const std::string& name);
// A private endpoint for `resource` (`subresource`: blob, redisCache, namespace) in the endpoints
// subnet, registered in the private DNS zone `zone_label` (created once by private_zone).
void private_endpoint(Context& c, hcl::File& f, const std::string& label, const std::string& name, const Expr& resource,
                      const std::string& subresource, const std::string& zone_label);
// A private DNS zone linked to the network, once per zone name; returns its label.
std::string private_zone(Context& c, hcl::File& f, const std::string& zone);
// The environment's Key Vault key `data` (RSA 3072, rotated every 90 days) and Terraform's right to
// create it, written once into `f` by whichever family needs it first (storage.cpp).
void vault_key(Context& c, hcl::File& f);
// A role assignment of a built-in role, by name, on `scope` to `principal`.
void role(hcl::File& f, const std::string& label, const std::string& role_name, Expr scope, Expr principal,
          const std::string& description);
// `CanNotDelete` lock on a resource: Azure refuses to delete it until the lock is removed.
void delete_lock(hcl::File& f, const std::string& label, const std::string& name, Expr scope, const std::string& why);

void platform_files(Context& c);    // versions.tf, providers.tf, backend.tf: resource group
void network_files(Context& c);     // network.tf: VNet, subnets, NAT gateway
void cluster_files(Context& c);     // cluster.tf: AKS
void database_files(Context& c);    // data.tf: PostgreSQL / MySQL Flexible Server
void cache_files(Context& c);       // data.tf: Azure Cache for Redis
void messaging_files(Context& c);   // messaging.tf: Event Hubs
void storage_files(Context& c);     // storage.tf: storage accounts, containers
void registry_files(Context& c);    // registry.tf: ACR
void secret_files(Context& c);      // secrets.tf: Key Vault, its secrets
void identity_files(Context& c);    // identity.tf: managed identities, federation, role assignments
void dns_files(Context& c);         // dns.tf: DNS zones, certificates
void monitoring_files(Context& c);  // monitoring.tf: action group, metric alerts
void budget_files(Context& c);      // budget.tf: consumption budgets

}  // namespace platc::terraform_azure
