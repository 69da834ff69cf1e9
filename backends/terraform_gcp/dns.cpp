// Public hosts: the Cloud DNS zone each `expose.host` lies in (the environment's `domain`, or the
// host's parent), DNSSEC on; a Google-managed certificate per TLS host named as the contract names
// it (the Ingress's `ingress.gcp.kubernetes.io/pre-shared-cert`); ExternalDNS's service account,
// which may change records in exactly those zones.
#include <map>

#include "backends/terraform_gcp/families.h"

namespace platc::terraform_gcp {

using graph::Node;

namespace {

std::string zone_of(const Context& c, const std::string& host) {
  std::string domain = c.env_node ? Context::text_of(*c.env_node, "domain") : "";
  if (!domain.empty() && (host == domain || host.ends_with("." + domain))) return domain;
  auto dot = host.find('.');
  return dot == std::string::npos ? host : host.substr(dot + 1);
}

std::string host_label(const std::string& host) {
  std::string out;
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
    std::string l = "zone_" + host_label(z);
    zones[z] = l;
    std::string zname = c.prefix + "-" + z;
    for (char& ch : zname)
      if (ch == '.') ch = '-';
    hcl::Block& r = f.block("resource", {"google_dns_managed_zone", l});
    r.body.attr("name", zname.substr(0, 63));
    r.body.attr("dns_name", z + ".");
    r.body.attr("description", "platc " + c.prefix + ": delegate it from the parent zone (output name_servers)");
    r.body.attr("visibility", "public");
    r.body.block("dnssec_config").body.attr("state", "on");
  }
  for (const auto& [name, tls] : hosts) {
    if (!tls) continue;
    hcl::Block& cert = f.block("resource", {"google_compute_managed_ssl_certificate", "host_" + host_label(name)});
    cert.body.attr("name", c.d.certificate(name));
    cert.body.block("managed").body.attr("domains", Expr::strings({name}));
    cert.body.block("lifecycle").body.attr("create_before_destroy", Expr::boolean(true));
  }
  hcl::Block& a = f.block("resource", {"google_service_account", "external_dns"});
  a.body.attr("account_id", dns_account(c.g));
  a.body.attr("display_name", "ExternalDNS");
  hcl::Block& wi = f.block("resource", {"google_service_account_iam_member", "external_dns_workload_identity"});
  wi.body.attr("service_account_id", Expr::ref("google_service_account.external_dns.name"));
  wi.body.attr("role", "roles/iam.workloadIdentityUser");
  wi.body.attr("member", workload_member(c, "external-dns", "external-dns"));
  Expr ns = Expr::object();
  for (const auto& [z, l] : zones) {
    hcl::Block& m = f.block("resource", {"google_dns_managed_zone_iam_member", "external_dns_" + l});
    m.body.attr("managed_zone", Expr::ref("google_dns_managed_zone." + l + ".name"));
    m.body.attr("role", "roles/dns.admin");
    m.body.attr("member", member_of("external_dns"));
    ns.set(z, Expr::ref("google_dns_managed_zone." + l + ".name_servers"));
  }
  // Listing the zones has no zone-level permission: dns.reader on the project.
  hcl::Block& r = f.block("resource", {"google_project_iam_member", "external_dns_reader"});
  r.body.attr("project", Expr::ref("var.project"));
  r.body.attr("role", "roles/dns.reader");
  r.body.attr("member", member_of("external_dns"));
  hcl::File& o = c.file("outputs.tf");
  o.block("output", {"name_servers"}).body.attr("value", ns);
}

}  // namespace platc::terraform_gcp
