// The module's frame: pinned Terraform and provider versions, the azurerm provider, the azurerm
// state backend (one state per environment), the environment's resource group, the tags every
// resource carries (azurerm has no provider-wide default tags, so each resource names
// `local.tags`), and the helpers the families share.
#include "backends/terraform_azure/families.h"

namespace platc::terraform_azure {

void placed(hcl::Block& b, const std::string& name) {
  b.body.attr("name", name);
  b.body.attr("resource_group_name", Expr::ref(std::string(kGroup) + ".name"));
  b.body.attr("location", Expr::ref(std::string(kGroup) + ".location"));
}

std::string private_zone(Context& c, hcl::File& f, const std::string& zone) {
  std::string l = Context::label(zone);
  for (const auto& it : f.items())
    if (it.kind == hcl::Item::Kind::Block && it.block.front().labels.size() == 2 && it.block.front().labels[1] == l &&
        it.block.front().labels[0] == "azurerm_private_dns_zone")
      return l;
  hcl::Block& z = f.block("resource", {"azurerm_private_dns_zone", l});
  z.body.attr("name", zone);
  z.body.attr("resource_group_name", Expr::ref(std::string(kGroup) + ".name"));
  z.body.attr("tags", Expr::ref("local.tags"));
  hcl::Block& link = f.block("resource", {"azurerm_private_dns_zone_virtual_network_link", l});
  link.body.attr("name", c.prefix);
  link.body.attr("resource_group_name", Expr::ref(std::string(kGroup) + ".name"));
  link.body.attr("private_dns_zone_name", Expr::ref("azurerm_private_dns_zone." + l + ".name"));
  link.body.attr("virtual_network_id", Expr::ref(std::string(kVnet) + ".id"));
  link.body.attr("registration_enabled", Expr::boolean(false));
  link.body.attr("tags", Expr::ref("local.tags"));
  return l;
}

void private_endpoint(Context& c, hcl::File& f, const std::string& label, const std::string& name, const Expr& resource,
                      const std::string& subresource, const std::string& zone_label) {
  hcl::Block& pe = f.block("resource", {"azurerm_private_endpoint", label});
  placed(pe, name);
  pe.body.attr("subnet_id", Expr::ref(std::string(kEndpointsSubnet) + ".id"));
  hcl::Block& sc = pe.body.block("private_service_connection");
  sc.body.attr("name", name);
  sc.body.attr("private_connection_resource_id", resource);
  sc.body.attr("subresource_names", Expr::strings({subresource}));
  sc.body.attr("is_manual_connection", Expr::boolean(false));
  hcl::Block& zg = pe.body.block("private_dns_zone_group");
  zg.body.attr("name", "default");
  zg.body.attr("private_dns_zone_ids", Expr::tuple({Expr::ref("azurerm_private_dns_zone." + zone_label + ".id")}));
  pe.body.attr("tags", Expr::ref("local.tags"));
  (void)c;
}

void role(hcl::File& f, const std::string& label, const std::string& role_name, Expr scope, Expr principal,
          const std::string& description) {
  hcl::Block& r = f.block("resource", {"azurerm_role_assignment", label});
  r.body.attr("scope", std::move(scope));
  r.body.attr("role_definition_name", role_name);
  r.body.attr("principal_id", std::move(principal));
  r.body.attr("principal_type", "ServicePrincipal");
  r.body.attr("description", description);
}

void delete_lock(hcl::File& f, const std::string& label, const std::string& name, Expr scope, const std::string& why) {
  hcl::Block& l = f.block("resource", {"azurerm_management_lock", label});
  l.body.attr("name", name);
  l.body.attr("scope", std::move(scope));
  l.body.attr("lock_level", "CanNotDelete");
  l.body.attr("notes", why);
}

void platform_files(Context& c) {
  hcl::File& v = c.file("versions.tf");
  hcl::Block& tf = v.block("terraform");
  // 1.11: write-only arguments and ephemeral resources keep the generated passwords out of the
  // state (data.tf, secrets.tf).
  tf.body.attr("required_version", ">= 1.11");
  // azurerm 4.55 (the schema tests/ checks against): rbac_authorization_enabled on the Key
  // Vault (4.45), value_wo on its secrets
  // (4.23), administrator_password_wo on the Flexible Servers (4.21). random 3.7.1: the
  // ephemeral random_password.
  tf.body.block("required_providers")
      .body.attr("azurerm", Expr::object().set("source", "hashicorp/azurerm").set("version", "~> 4.55"))
      .attr("random", Expr::object().set("source", "hashicorp/random").set("version", ">= 3.7.1, < 4.0.0"));

  hcl::File& p = c.file("providers.tf");
  hcl::Block& prov = p.block("provider", {"azurerm"});
  prov.body.attr("subscription_id", Expr::ref("var.subscription_id"));
  // The storage accounts refuse shared keys: whatever reaches a data plane uses Entra ID.
  prov.body.attr("storage_use_azuread", Expr::boolean(true));
  // The private storage accounts refuse the public endpoint: the provider manages them, their
  // containers and policies through Azure Resource Manager only, never their data plane.
  prov.body.block("features").body.block("storage").body.attr("data_plane_available", Expr::boolean(false));
  p.block("data", {"azurerm_client_config", "current"});
  hcl::Block& loc = p.block("locals");
  Expr tags = Expr::object();
  if (c.platform)
    if (const graph::Value* t = c.platform->value("tags"); t && t->kind == graph::ValueKind::Map)
      for (const auto& [k, val] : t->entries) tags.set(k, val.plain());
  tags.set("environment", c.g.environment);
  tags.set("platform", c.g.platform);
  tags.set("managed-by", "platc");
  loc.body.attr("tags", tags);
  c.var({"subscription_id", "string", "The Azure subscription of this environment (a GUID).",
         Expr::str(c.d.account().empty() ? std::string("00000000-0000-0000-0000-000000000000") : c.d.account()),
         std::nullopt, false});

  hcl::File& b = c.file("backend.tf");
  b.comment(
      "One state per environment, in a blob container of the subscription's state account, locked by\n"
      "blob leases, reached with Entra ID. The account is given at init:\n"
      "terraform init -backend-config=\"storage_account_name=<state account>\" (see ../README.md).");
  hcl::Block& be = b.block("terraform").body.block("backend", {"azurerm"});
  be.body.attr("resource_group_name", "platc-terraform-state");
  be.body.attr("container_name", "tfstate");
  be.body.attr("key", c.g.platform + "/" + c.g.environment + "/terraform.tfstate");
  be.body.attr("use_azuread_auth", Expr::boolean(true));

  hcl::File& n = c.file("network.tf");
  hcl::Block& rg = n.block("resource", {"azurerm_resource_group", "main"});
  rg.body.attr("name", c.d.resource_group());
  rg.body.attr("location", c.region);
  rg.body.attr("tags", Expr::ref("local.tags"));
}

}  // namespace platc::terraform_azure
