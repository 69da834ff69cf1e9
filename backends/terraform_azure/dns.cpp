// Public hosts: the Azure DNS zone each `expose.host` lies in (the environment's `domain`, or the
// host's parent), ExternalDNS's identity allowed to write records in exactly those zones, and for
// each host with TLS a Key Vault certificate named as the Ingress's
// `appgw-ssl-certificate` annotation names it (contract: certificate(host)), issued by the
// vault's issuer `var.certificate_issuer` (a DigiCert or GlobalSign issuer registered in the
// vault; `Self` until then). The README installs each on the ingress gateway.
#include <map>

#include "backends/terraform_azure/families.h"

namespace platc::terraform_azure {

using graph::Node;

namespace {

std::string zone_of(const Context& c, const std::string& host) {
  std::string domain = c.env_node ? Context::text_of(*c.env_node, "domain") : "";
  if (!domain.empty() && (host == domain || host.ends_with("." + domain))) return domain;
  auto dot = host.find('.');
  return dot == std::string::npos ? host : host.substr(dot + 1);
}

std::string host_label(const std::string& host) {
  std::string out = "host_";
  for (char ch : host) out += (ch == '.' || ch == '-') ? '_' : ch == '*' ? 'w' : ch;
  return out;
}

}  // namespace

void dns_files(Context& c) {
  std::map<std::string, bool> hosts;  // host -> tls
  for (const Node* w : c.workloads()) {
    if (!w->has_block("expose")) continue;
    const graph::Value* h = w->value("expose.host");
    if (!h || !h->is_plain_string() || h->plain().empty()) continue;
    c.note_source(w);
    hosts[h->plain()] = Context::bool_of(*w, "expose.tls", true);
  }
  if (hosts.empty()) return;
  hcl::File& f = c.file("dns.tf");
  std::map<std::string, std::string> zones;  // zone -> label
  for (const auto& [name, tls] : hosts) {
    std::string z = zone_of(c, name);
    if (zones.count(z)) continue;
    std::string l = "zone_" + host_label(z).substr(5);
    zones[z] = l;
    hcl::Block& r = f.block("resource", {"azurerm_dns_zone", l});
    r.body.attr("name", z);
    r.body.attr("resource_group_name", Expr::ref(std::string(kGroup) + ".name"));
    r.body.attr("tags", Expr::ref("local.tags"));
  }
  std::string eso = "azurerm_user_assigned_identity.external_dns";
  hcl::Block& id = f.block("resource", {"azurerm_user_assigned_identity", "external_dns"});
  placed(id, c.name("external-dns"));
  id.body.attr("tags", Expr::ref("local.tags"));
  hcl::Block& fc = f.block("resource", {"azurerm_federated_identity_credential", "external_dns"});
  fc.body.attr("name", "kubernetes");
  fc.body.attr("resource_group_name", Expr::ref(std::string(kGroup) + ".name"));
  fc.body.attr("parent_id", Expr::ref(eso + ".id"));
  fc.body.attr("audience", Expr::strings({"api://AzureADTokenExchange"}));
  fc.body.attr("issuer", Expr::ref(std::string(kCluster) + ".oidc_issuer_url"));
  fc.body.attr("subject", "system:serviceaccount:external-dns:external-dns");
  Expr ns = Expr::object();
  for (const auto& [z, l] : zones) {
    role(f, "external_dns_" + l, "DNS Zone Contributor", Expr::ref("azurerm_dns_zone." + l + ".id"),
         Expr::ref(eso + ".principal_id"), "ExternalDNS writes the hosts' records in " + z);
    ns.set(z, Expr::ref("azurerm_dns_zone." + l + ".name_servers"));
  }

  bool any_tls = false;
  Expr certs = Expr::object();
  for (const auto& [name, tls] : hosts) {
    if (!tls) continue;
    if (!any_tls) {
      c.var({"certificate_issuer", "string",
             "The Key Vault certificate issuer of the hosts' certificates: a DigiCert or GlobalSign issuer registered "
             "in the vault (`az keyvault certificate issuer create`), or Self (self-signed, for trying it out).",
             Expr::str("Self"), std::nullopt, false});
      hcl::Block& dep = f.block("resource", {"azurerm_role_assignment", "deployer_certificates"});
      dep.body.attr("scope", Expr::ref(std::string(kVault) + ".id"));
      dep.body.attr("role_definition_name", "Key Vault Certificates Officer");
      dep.body.attr("principal_id", Expr::ref(std::string(kClient) + ".object_id"));
      dep.body.attr("description", "Terraform requests the hosts' certificates");
      any_tls = true;
    }
    std::string l = host_label(name);
    std::string cert = c.d.certificate(name);
    hcl::Block& k = f.block("resource", {"azurerm_key_vault_certificate", l});
    k.body.attr("name", cert);
    k.body.attr("key_vault_id", Expr::ref(std::string(kVault) + ".id"));
    hcl::Block& p = k.body.block("certificate_policy");
    p.body.block("issuer_parameters").body.attr("name", Expr::ref("var.certificate_issuer"));
    hcl::Block& kp = p.body.block("key_properties");
    kp.body.attr("exportable", Expr::boolean(true));
    kp.body.attr("key_type", "RSA");
    kp.body.attr("key_size", Expr::number(2048));
    kp.body.attr("reuse_key", Expr::boolean(false));
    p.body.block("secret_properties").body.attr("content_type", "application/x-pkcs12");
    hcl::Block& la = p.body.block("lifetime_action");
    la.body.block("action").body.attr("action_type", "AutoRenew");
    la.body.block("trigger").body.attr("days_before_expiry", Expr::number(30));
    hcl::Block& x = p.body.block("x509_certificate_properties");
    x.body.attr("subject", "CN=" + name);
    x.body.attr("validity_in_months", Expr::number(12));
    x.body.attr("key_usage", Expr::strings({"digitalSignature", "keyEncipherment"}));
    x.body.attr("extended_key_usage", Expr::strings({"1.3.6.1.5.5.7.3.1"}));
    x.body.block("subject_alternative_names").body.attr("dns_names", Expr::strings({name}));
    k.body.attr("tags", Expr::ref("local.tags"));
    k.body.attr("depends_on", Expr::tuple({Expr::ref("azurerm_role_assignment.deployer_certificates")}));
    certs.set(cert, Expr::ref("azurerm_key_vault_certificate." + l + ".versionless_secret_id"));
  }
  hcl::File& o = c.file("outputs.tf");
  o.block("output", {"name_servers"}).body.attr("value", ns);
  o.block("output", {"external_dns_client_id"}).body.attr("value", Expr::ref(eso + ".client_id"));
  if (any_tls) o.block("output", {"certificates"}).body.attr("value", certs);
}

}  // namespace platc::terraform_azure
