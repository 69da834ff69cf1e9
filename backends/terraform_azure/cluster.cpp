// The cluster: AKS in the nodes subnet with Azure CNI (pods get addresses of the subnet) and
// Calico (which enforces the NetworkPolicies of the Kubernetes output), egress through the NAT
// gateway, the OIDC issuer and workload identity on (the managed identities of identity.tf trust
// its tokens), Entra ID with Azure RBAC instead of local accounts, one autoscaled node pool over
// the zones sized from `std.sizes` (node_pool) and `platform.cluster`, and the Application Gateway
// ingress add-on that serves the Ingresses (class `azure-application-gateway`).
#include "backends/terraform_azure/families.h"
#include "backends/terraform_azure/sizes.h"

namespace platc::terraform_azure {

void cluster_files(Context& c) {
  hcl::File& f = c.file("cluster.tf");
  std::string name = cluster_name(c);
  std::string size = c.platform ? Context::text_of(*c.platform, "cluster.size") : "";
  std::int64_t min = c.platform ? Context::int_of(*c.platform, "cluster.min_nodes", 2) : 2;
  std::int64_t max = c.platform ? Context::int_of(*c.platform, "cluster.max_nodes", 6) : 6;
  std::string version = c.platform ? Context::text_of(*c.platform, "cluster.version") : "";
  bool approval = c.env_node && Context::text_of(*c.env_node, "approval") == "required";
  Expr vm = c.var({"node_vm_size", "string", "The VM size of the cluster's nodes (std.sizes node_pool).",
                   Expr::str(node_vm_size(size.empty() ? "medium" : size)), std::nullopt, false});
  Expr vmin = c.var({"node_min", "number", "The fewest nodes of the pool.", Expr::number(min), std::nullopt, false});
  Expr vmax = c.var({"node_max", "number", "The most nodes of the pool.", Expr::number(max), std::nullopt, false});
  Expr zones = c.var({"zones", "list(string)", "The availability zones of the region the nodes spread over.",
                      Expr::strings({"1", "2", "3"}), std::nullopt, false});
  // An environment that needs an approval to deploy is one people rely on: the tier with the SLA.
  Expr tier = c.var({"cluster_sku_tier", "string", "AKS tier: Free, or Standard (the uptime SLA).",
                     Expr::str(approval ? "Standard" : "Free"), std::nullopt, false});
  Expr api_cidrs = c.var({"cluster_api_cidrs", "list(string)",
                          "Who may reach the cluster's API server (the pipeline, operators); empty: anyone with "
                          "Entra ID credentials.",
                          std::nullopt, Expr::tuple(), false});

  // The control plane's own identity: it manages the load balancers and routes in the VNet.
  hcl::Block& id = f.block("resource", {"azurerm_user_assigned_identity", "cluster"});
  placed(id, name + "-cluster");
  id.body.attr("tags", Expr::ref("local.tags"));
  role(f, "cluster_network", "Network Contributor", Expr::ref(std::string(kVnet) + ".id"),
       Expr::ref("azurerm_user_assigned_identity.cluster.principal_id"),
       "AKS control plane: load balancers and the ingress gateway in the VNet");

  hcl::Block& k = f.block("resource", {"azurerm_kubernetes_cluster", "main"});
  placed(k, name);
  k.body.attr("dns_prefix", name);
  if (!version.empty()) k.body.attr("kubernetes_version", version);
  k.body.attr("sku_tier", tier);
  k.body.attr("automatic_upgrade_channel", "patch");
  k.body.attr("node_os_upgrade_channel", "NodeImage");
  k.body.attr("oidc_issuer_enabled", Expr::boolean(true));
  k.body.attr("workload_identity_enabled", Expr::boolean(true));
  k.body.attr("local_account_disabled", Expr::boolean(true));
  k.body.attr("role_based_access_control_enabled", Expr::boolean(true));
  hcl::Block& aad = k.body.block("azure_active_directory_role_based_access_control");
  aad.body.attr("azure_rbac_enabled", Expr::boolean(true));
  aad.body.attr("tenant_id", Expr::ref(std::string(kClient) + ".tenant_id"));
  k.body.block("api_server_access_profile").body.attr("authorized_ip_ranges", api_cidrs);
  hcl::Block& pool = k.body.block("default_node_pool");
  pool.body.attr("name", "system");
  pool.body.attr("vm_size", vm);
  pool.body.attr("auto_scaling_enabled", Expr::boolean(true));
  pool.body.attr("min_count", vmin);
  pool.body.attr("max_count", vmax);
  pool.body.attr("vnet_subnet_id", Expr::ref(std::string(kNodesSubnet) + ".id"));
  pool.body.attr("zones", zones);
  pool.body.attr("temporary_name_for_rotation", "systemtmp");
  pool.body.block("upgrade_settings").body.attr("max_surge", "33%");
  pool.body.attr("tags", Expr::ref("local.tags"));
  hcl::Block& idb = k.body.block("identity");
  idb.body.attr("type", "UserAssigned");
  idb.body.attr("identity_ids", Expr::tuple({Expr::ref("azurerm_user_assigned_identity.cluster.id")}));
  hcl::Block& net = k.body.block("network_profile");
  // Azure CNI with the pods in the nodes subnet, not the overlay: the Application Gateway ingress
  // add-on refuses an overlay cluster ("not supported with Azure CNI Overlay"), and it sends
  // traffic to the pods' VNet addresses. Calico enforces the NetworkPolicies (Cilium as the data
  // plane needs the overlay or a pod subnet).
  net.body.attr("network_plugin", "azure");
  net.body.attr("network_policy", "calico");
  net.body.attr("outbound_type", "userAssignedNATGateway");
  net.body.attr("load_balancer_sku", "standard");
  net.body.attr("service_cidr", "172.16.0.0/16");
  net.body.attr("dns_service_ip", "172.16.0.10");
  hcl::Block& agic = k.body.block("ingress_application_gateway");
  agic.body.attr("gateway_name", name + "-ingress");
  agic.body.attr("subnet_id", Expr::ref(std::string(kGatewaySubnet) + ".id"));
  k.body.attr("tags", Expr::ref("local.tags"));
  k.body.block("lifecycle").body.attr("ignore_changes", Expr::tuple({Expr::raw("default_node_pool[0].node_count")}));
  k.body.attr("depends_on", Expr::tuple({Expr::ref("azurerm_role_assignment.cluster_network"),
                                         Expr::ref("azurerm_subnet_nat_gateway_association.nodes")}));

  // The ingress add-on's identity joins the gateway's subnet (a subnet the add-on did not create).
  role(f, "ingress_subnet", "Network Contributor", Expr::ref(std::string(kGatewaySubnet) + ".id"),
       Expr::ref(std::string(kCluster) +
                 ".ingress_application_gateway[0].ingress_application_gateway_identity[0].object_id"),
       "the ingress add-on manages the Application Gateway in its subnet");

  hcl::File& o = c.file("outputs.tf");
  o.block("output", {"cluster_name"}).body.attr("value", Expr::ref(std::string(kCluster) + ".name"));
  o.block("output", {"oidc_issuer_url"}).body.attr("value", Expr::ref(std::string(kCluster) + ".oidc_issuer_url"));
}

}  // namespace platc::terraform_azure
