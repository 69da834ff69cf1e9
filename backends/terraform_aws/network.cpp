// The network: a VPC with a public and a private subnet in each zone, one NAT gateway per zone
// (the private subnets of a zone leave through their own zone's gateway, so losing a zone loses
// nothing else), the default security group emptied. The subnets carry the tags the AWS Load
// Balancer Controller discovers them by.
#include <algorithm>

#include "backends/terraform_aws/families.h"

namespace platc::terraform_aws {

namespace {

// Zone letters per region where they are not a, b, c (the rest have at least a-c). A table, not
// a data source: nothing may call AWS at plan time. The operator can change the list in tfvars.
std::vector<std::string> zones_of(const std::string& region, std::int64_t count) {
  std::string letters = "abcdef";
  if (region == "us-west-1") letters = "ac";
  if (region == "ap-northeast-1") letters = "acd";
  std::vector<std::string> out;
  for (std::int64_t k = 0; k < count && k < static_cast<std::int64_t>(letters.size()); ++k)
    out.push_back(region + letters[static_cast<std::size_t>(k)]);
  return out;
}

}  // namespace

void network_files(Context& c) {
  std::string cidr = c.platform ? Context::text_of(*c.platform, "network.cidr") : "";
  if (cidr.empty()) cidr = "10.0.0.0/16";
  std::int64_t zones = c.platform ? std::max<std::int64_t>(2, Context::int_of(*c.platform, "network.zones", 2)) : 2;
  Expr azs = c.var({"availability_zones", "list(string)",
                    "The zones of the region the subnets, the cluster and the data stores use (at least two).",
                    Expr::strings(zones_of(c.region, zones)), std::nullopt, false});
  (void)azs;
  hcl::File& f = c.file("network.tf");
  hcl::Block& vpc = f.block("resource", {"aws_vpc", "main"});
  vpc.body.attr("cidr_block", cidr);
  vpc.body.attr("enable_dns_support", Expr::boolean(true));
  vpc.body.attr("enable_dns_hostnames", Expr::boolean(true));
  vpc.body.attr("tags", Expr::object().set("Name", c.prefix));

  // Nothing may use the default security group: emptied, so a resource given no group gets no access.
  hcl::Block& dsg = f.block("resource", {"aws_default_security_group", "main"});
  dsg.body.attr("vpc_id", Expr::ref("aws_vpc.main.id"));
  dsg.body.attr("tags", Expr::object().set("Name", c.name("default-unused")));

  hcl::Block& igw = f.block("resource", {"aws_internet_gateway", "main"});
  igw.body.attr("vpc_id", Expr::ref("aws_vpc.main.id"));
  igw.body.attr("tags", Expr::object().set("Name", c.prefix));

  auto subnet = [&](const char* label, int offset, bool pub) {
    hcl::Block& s = f.block("resource", {"aws_subnet", label});
    s.body.attr("count", Expr::call("length", {Expr::ref("var.availability_zones")}));
    s.body.attr("vpc_id", Expr::ref("aws_vpc.main.id"));
    s.body.attr("availability_zone", Expr::ref("var.availability_zones[count.index]"));
    // /20s of a /16: private ones from the start, public ones from the middle.
    s.body.attr("cidr_block", Expr::call("cidrsubnet", {Expr::ref("aws_vpc.main.cidr_block"), Expr::number(4),
                                                        Expr::raw("count.index + " + std::to_string(offset))}));
    s.body.attr("map_public_ip_on_launch", Expr::boolean(false));
    s.body.attr("tags", Expr::object()
                            .set("Name", Expr::tmpl({Expr::str(c.prefix + "-" + label + "-"),
                                                     Expr::ref("var.availability_zones[count.index]")}))
                            .set(pub ? "kubernetes.io/role/elb" : "kubernetes.io/role/internal-elb", "1"));
  };
  subnet("private", 0, false);
  subnet("public", 8, true);

  hcl::Block& eip = f.block("resource", {"aws_eip", "nat"});
  eip.body.attr("count", Expr::call("length", {Expr::ref("var.availability_zones")}));
  eip.body.attr("domain", "vpc");
  eip.body.attr("tags", Expr::object().set("Name", Expr::tmpl({Expr::str(c.prefix + "-nat-"),
                                                               Expr::ref("var.availability_zones[count.index]")})));
  hcl::Block& nat = f.block("resource", {"aws_nat_gateway", "main"});
  nat.body.attr("count", Expr::call("length", {Expr::ref("var.availability_zones")}));
  nat.body.attr("allocation_id", Expr::ref("aws_eip.nat[count.index].id"));
  nat.body.attr("subnet_id", Expr::ref("aws_subnet.public[count.index].id"));
  nat.body.attr("tags", Expr::object().set("Name", Expr::tmpl({Expr::str(c.prefix + "-"),
                                                               Expr::ref("var.availability_zones[count.index]")})));
  nat.body.attr("depends_on", Expr::tuple({Expr::ref("aws_internet_gateway.main")}));

  hcl::Block& pub = f.block("resource", {"aws_route_table", "public"});
  pub.body.attr("vpc_id", Expr::ref("aws_vpc.main.id"));
  hcl::Block& r = pub.body.block("route");
  r.body.attr("cidr_block", "0.0.0.0/0");
  r.body.attr("gateway_id", Expr::ref("aws_internet_gateway.main.id"));
  pub.body.attr("tags", Expr::object().set("Name", c.name("public")));
  hcl::Block& pa = f.block("resource", {"aws_route_table_association", "public"});
  pa.body.attr("count", Expr::call("length", {Expr::ref("var.availability_zones")}));
  pa.body.attr("subnet_id", Expr::ref("aws_subnet.public[count.index].id"));
  pa.body.attr("route_table_id", Expr::ref("aws_route_table.public.id"));

  hcl::Block& prv = f.block("resource", {"aws_route_table", "private"});
  prv.body.attr("count", Expr::call("length", {Expr::ref("var.availability_zones")}));
  prv.body.attr("vpc_id", Expr::ref("aws_vpc.main.id"));
  hcl::Block& pr = prv.body.block("route");
  pr.body.attr("cidr_block", "0.0.0.0/0");
  pr.body.attr("nat_gateway_id", Expr::ref("aws_nat_gateway.main[count.index].id"));
  prv.body.attr("tags", Expr::object().set("Name", Expr::tmpl({Expr::str(c.prefix + "-private-"),
                                                               Expr::ref("var.availability_zones[count.index]")})));
  hcl::Block& pra = f.block("resource", {"aws_route_table_association", "private"});
  pra.body.attr("count", Expr::call("length", {Expr::ref("var.availability_zones")}));
  pra.body.attr("subnet_id", Expr::ref("aws_subnet.private[count.index].id"));
  pra.body.attr("route_table_id", Expr::ref("aws_route_table.private[count.index].id"));

  hcl::File& o = c.file("outputs.tf");
  o.block("output", {"vpc_id"}).body.attr("value", Expr::ref("aws_vpc.main.id"));
}

}  // namespace platc::terraform_aws
