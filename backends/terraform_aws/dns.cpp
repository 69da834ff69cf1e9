// Public hosts: the Route 53 zone each `expose.host` lies in (the environment's `domain`, or the
// host's parent), an ACM certificate per host validated through that zone (the AWS Load Balancer
// Controller finds it by the Ingress's TLS host), and the ExternalDNS role that writes the hosts'
// records to the ALB into exactly those zones. The zones of buckets' `cdn` hosts are made here too
// (one zone however many hosts lie in it); their certificates and records are cdn.cpp's.
#include <map>
#include <set>

#include "backends/terraform_aws/families.h"

namespace platc::terraform_aws {

using graph::Node;

namespace {

struct Host {
  std::string name;
  bool tls = true;
};

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

std::string zone_label(const std::string& zone) {
  return "zone_" + host_label(zone).substr(5);
}

}  // namespace

std::string zone_resource(const Context& c, const std::string& host) {
  return "aws_route53_zone." + zone_label(zone_of(c, host));
}

Expr validated_certificate(Context& c, hcl::File& f, const std::string& host, const std::string& l,
                           const char* provider) {
  hcl::Block& cert = f.block("resource", {"aws_acm_certificate", l});
  if (provider) cert.body.attr("provider", Expr::ref(provider));
  cert.body.attr("domain_name", host);
  cert.body.attr("validation_method", "DNS");
  cert.body.attr("tags", Expr::object().set("Name", c.d.certificate(host)));
  cert.body.block("lifecycle").body.attr("create_before_destroy", Expr::boolean(true));
  // One host per certificate: one validation record, addressed without for_each (its keys would
  // be unknown until the certificate exists).
  std::string dvo = "tolist(aws_acm_certificate." + l + ".domain_validation_options)[0]";
  hcl::Block& rec = f.block("resource", {"aws_route53_record", l + "_validation"});
  rec.body.attr("zone_id", Expr::ref(zone_resource(c, host) + ".zone_id"));
  rec.body.attr("name", Expr::raw(dvo + ".resource_record_name"));
  rec.body.attr("type", Expr::raw(dvo + ".resource_record_type"));
  rec.body.attr("records", Expr::raw("[" + dvo + ".resource_record_value]"));
  rec.body.attr("ttl", Expr::number(300));
  rec.body.attr("allow_overwrite", Expr::boolean(true));
  hcl::Block& v = f.block("resource", {"aws_acm_certificate_validation", l});
  if (provider) v.body.attr("provider", Expr::ref(provider));
  v.body.attr("certificate_arn", Expr::ref("aws_acm_certificate." + l + ".arn"));
  v.body.attr("validation_record_fqdns", Expr::tuple({Expr::ref("aws_route53_record." + l + "_validation.fqdn")}));
  return Expr::ref("aws_acm_certificate_validation." + l + ".certificate_arn");
}

void dns_files(Context& c) {
  std::map<std::string, Host> hosts;
  for (const Node* w : c.workloads()) {
    if (!w->has_block("expose")) continue;
    const graph::Value* h = w->value("expose.host");
    if (!h || !h->is_plain_string() || h->plain().empty()) continue;
    c.note_source(w);
    Host& e = hosts[h->plain()];
    e.name = h->plain();
    e.tls = Context::bool_of(*w, "expose.tls", true);
  }
  std::set<std::string> all;  // every public host: exposed, and buckets' `cdn`
  for (const auto& [name, h] : hosts) all.insert(name);
  for (const Node* b : c.of_kind("bucket"))
    if (std::string h = cdn_host(*b); !h.empty()) all.insert(h);
  if (all.empty()) return;
  hcl::File& f = c.file("dns.tf");
  std::map<std::string, std::string> all_zones;  // zone -> label, of every public host
  for (const std::string& name : all) {
    std::string z = zone_of(c, name);
    if (all_zones.count(z)) continue;
    all_zones[z] = zone_label(z);
    hcl::Block& r = f.block("resource", {"aws_route53_zone", zone_label(z)});
    r.body.attr("name", z);
    r.body.attr("comment", "platc " + c.prefix + ": delegate it from the parent zone (output name_servers)");
    r.body.attr("tags", Expr::object().set("Name", z));
  }
  Expr ns = Expr::object();
  for (const auto& [z, l] : all_zones) ns.set(z, Expr::ref("aws_route53_zone." + l + ".name_servers"));
  hcl::File& o = c.file("outputs.tf");
  o.block("output", {"name_servers"}).body.attr("value", ns);
  if (hosts.empty()) return;                 // no Ingress host: no ExternalDNS
  std::map<std::string, std::string> zones;  // zone -> label, of the exposed hosts: ExternalDNS's
  for (const auto& [name, h] : hosts) zones[zone_of(c, name)] = zone_label(zone_of(c, name));
  for (const auto& [name, h] : hosts)
    if (h.tls) validated_certificate(c, f, name, host_label(name));
  Expr zone_arns = Expr::tuple();
  for (const auto& [z, l] : zones)
    zone_arns.push(
        Expr::tmpl({Expr::str("arn:aws:route53:::hostedzone/"), Expr::ref("aws_route53_zone." + l + ".zone_id")}));
  std::vector<Expr> st;
  st.push_back(
      statement("ChangeRecords",
                {"route53:ChangeResourceRecordSets", "route53:ListResourceRecordSets", "route53:ListTagsForResource"},
                std::move(zone_arns)));
  // Listing zones has no resource-level permission: AWS allows only "*" for it.
  st.push_back(statement("ListZones", {"route53:ListHostedZones"}, Expr::str("*")));
  hcl::Block& r = f.block("resource", {"aws_iam_role", "external_dns"});
  r.body.attr("name", external_dns_role_name(c));
  r.body.attr("assume_role_policy", irsa_trust("external-dns", "external-dns"));
  r.body.attr("tags", Expr::object()
                          .set("Name", external_dns_role_name(c))
                          .set("kubernetes-service-account", "external-dns/external-dns"));
  hcl::Block& p = f.block("resource", {"aws_iam_role_policy", "external_dns"});
  p.body.attr("name", external_dns_role_name(c));
  p.body.attr("role", Expr::ref("aws_iam_role.external_dns.id"));
  p.body.attr("policy", policy_document(std::move(st)));
  o.block("output", {"external_dns_role_arn"}).body.attr("value", Expr::ref("aws_iam_role.external_dns.arn"));
}

}  // namespace platc::terraform_aws
