// The network: one VNet per environment with a subnet for the cluster's nodes and pods (a /20),
// one for the Application Gateway the ingress add-on runs, one for the private endpoints of the
// data stores, and one delegated subnet per Flexible Server engine. Egress leaves through a NAT
// gateway with a static public address; no subnet has Azure's default outbound access.
#include "backends/terraform_azure/families.h"

namespace platc::terraform_azure {

namespace {

hcl::Block& subnet(hcl::File& f, const std::string& label, const std::string& name, int newbits, int index) {
  hcl::Block& s = f.block("resource", {"azurerm_subnet", label});
  s.body.attr("name", name);
  s.body.attr("resource_group_name", Expr::ref(std::string(kGroup) + ".name"));
  s.body.attr("virtual_network_name", Expr::ref(std::string(kVnet) + ".name"));
  s.body.attr("address_prefixes",
              Expr::tuple({Expr::call("cidrsubnet", {Expr::ref(std::string(kVnet) + ".address_space[0]"),
                                                     Expr::number(newbits), Expr::number(index)})}));
  s.body.attr("default_outbound_access_enabled", Expr::boolean(false));
  return s;
}

void delegated(hcl::File& f, const std::string& engine, const std::string& service, int index) {
  hcl::Block& s = subnet(f, engine, engine, 8, index);
  hcl::Block& d = s.body.block("delegation");
  d.body.attr("name", engine);
  hcl::Block& sd = d.body.block("service_delegation");
  sd.body.attr("name", service);
  sd.body.attr("actions", Expr::strings({"Microsoft.Network/virtualNetworks/subnets/join/action"}));
}

bool uses_engine(const Context& c, const std::string& engine) {
  for (const graph::Node* n : c.of_kind("database")) {
    const graph::Value* e = n->value("engine");
    if ((e ? e->text : std::string("postgres")) == engine) return true;
  }
  return false;
}

}  // namespace

void network_files(Context& c) {
  std::string cidr = c.platform ? Context::text_of(*c.platform, "network.cidr") : "";
  if (cidr.empty()) cidr = "10.0.0.0/16";
  hcl::File& f = c.file("network.tf");
  hcl::Block& vnet = f.block("resource", {"azurerm_virtual_network", "main"});
  placed(vnet, c.prefix);
  vnet.body.attr("address_space", Expr::strings({cidr}));
  vnet.body.attr("tags", Expr::ref("local.tags"));

  // /20 of a /16 for the nodes; /24s after it for the rest.
  hcl::Block& nodes = subnet(f, "nodes", "nodes", 4, 0);
  // The Key Vault admits the cluster's subnet through its service endpoint (secrets.tf).
  nodes.body.attr("service_endpoints", Expr::strings({"Microsoft.KeyVault"}));
  subnet(f, "gateway", "ingress-gateway", 8, 16);
  hcl::Block& ep = subnet(f, "endpoints", "private-endpoints", 8, 17);
  ep.body.attr("private_endpoint_network_policies", "Enabled");
  if (uses_engine(c, "postgres")) delegated(f, "postgres", "Microsoft.DBforPostgreSQL/flexibleServers", 18);
  if (uses_engine(c, "mysql")) delegated(f, "mysql", "Microsoft.DBforMySQL/flexibleServers", 19);

  hcl::Block& ip = f.block("resource", {"azurerm_public_ip", "nat"});
  placed(ip, c.name("nat"));
  ip.body.attr("allocation_method", "Static");
  ip.body.attr("sku", "Standard");
  ip.body.attr("tags", Expr::ref("local.tags"));
  hcl::Block& nat = f.block("resource", {"azurerm_nat_gateway", "main"});
  placed(nat, c.prefix);
  nat.body.attr("sku_name", "Standard");
  nat.body.attr("idle_timeout_in_minutes", Expr::number(10));
  nat.body.attr("tags", Expr::ref("local.tags"));
  hcl::Block& na = f.block("resource", {"azurerm_nat_gateway_public_ip_association", "main"});
  na.body.attr("nat_gateway_id", Expr::ref("azurerm_nat_gateway.main.id"));
  na.body.attr("public_ip_address_id", Expr::ref("azurerm_public_ip.nat.id"));
  hcl::Block& sa = f.block("resource", {"azurerm_subnet_nat_gateway_association", "nodes"});
  sa.body.attr("subnet_id", Expr::ref(std::string(kNodesSubnet) + ".id"));
  sa.body.attr("nat_gateway_id", Expr::ref("azurerm_nat_gateway.main.id"));

  hcl::File& o = c.file("outputs.tf");
  o.block("output", {"resource_group"}).body.attr("value", Expr::ref(std::string(kGroup) + ".name"));
  o.block("output", {"egress_ip"}).body.attr("value", Expr::ref("azurerm_public_ip.nat.ip_address"));
}

}  // namespace platc::terraform_azure
