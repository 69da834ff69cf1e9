// The network: a custom-mode VPC with one private subnet for the nodes and the pods' and services'
// secondary ranges (VPC-native GKE), Private Google Access, Cloud NAT for the nodes' egress (they
// have no public address), and private services access: the peered range Cloud SQL and
// Memorystore take their private addresses from.
#include "backends/terraform_gcp/families.h"

namespace platc::terraform_gcp {

void network_files(Context& c) {
  std::string cidr = c.platform ? Context::text_of(*c.platform, "network.cidr") : "";
  if (cidr.empty()) cidr = "10.0.0.0/16";
  hcl::File& f = c.file("network.tf");
  hcl::Block& net = f.block("resource", {"google_compute_network", "main"});
  net.body.attr("name", c.prefix);
  net.body.attr("auto_create_subnetworks", Expr::boolean(false));
  net.body.attr("routing_mode", "REGIONAL");
  net.body.attr("depends_on", Expr::tuple({Expr::ref("google_project_service.apis")}));

  hcl::Block& sn = f.block("resource", {"google_compute_subnetwork", "nodes"});
  sn.body.attr("name", c.name("nodes"));
  sn.body.attr("network", Expr::ref(std::string(kNetwork) + ".id"));
  sn.body.attr("region", c.region);
  // The platform's range: the nodes take a /20 of it; pods and services get their own ranges
  // outside it (100.64.0.0/10, shared address space, so they never collide with peered networks).
  sn.body.attr("ip_cidr_range", Expr::call("cidrsubnet", {Expr::str(cidr), Expr::number(4), Expr::number(0)}));
  sn.body.attr("private_ip_google_access", Expr::boolean(true));
  hcl::Block& pods = sn.body.block("secondary_ip_range");
  pods.body.attr("range_name", "pods");
  pods.body.attr("ip_cidr_range", "100.64.0.0/14");
  hcl::Block& svc = sn.body.block("secondary_ip_range");
  svc.body.attr("range_name", "services");
  svc.body.attr("ip_cidr_range", "100.68.0.0/20");
  hcl::Block& logs = sn.body.block("log_config");
  logs.body.attr("aggregation_interval", "INTERVAL_5_SEC");
  logs.body.attr("flow_sampling", Expr::number_text("0.5"));

  hcl::Block& r = f.block("resource", {"google_compute_router", "main"});
  r.body.attr("name", c.prefix);
  r.body.attr("network", Expr::ref(std::string(kNetwork) + ".id"));
  r.body.attr("region", c.region);
  hcl::Block& nat = f.block("resource", {"google_compute_router_nat", "main"});
  nat.body.attr("name", c.prefix);
  nat.body.attr("router", Expr::ref("google_compute_router.main.name"));
  nat.body.attr("region", c.region);
  nat.body.attr("nat_ip_allocate_option", "AUTO_ONLY");
  nat.body.attr("source_subnetwork_ip_ranges_to_nat", "ALL_SUBNETWORKS_ALL_IP_RANGES");
  hcl::Block& nl = nat.body.block("log_config");
  nl.body.attr("enable", Expr::boolean(true));
  nl.body.attr("filter", "ERRORS_ONLY");

  if (!c.of_kind("database").empty() || !c.of_kind("cache").empty()) {
    hcl::Block& ga = f.block("resource", {"google_compute_global_address", "private_services"});
    ga.body.attr("name", c.name("private-services"));
    ga.body.attr("purpose", "VPC_PEERING");
    ga.body.attr("address_type", "INTERNAL");
    ga.body.attr("prefix_length", Expr::number(20));
    ga.body.attr("network", Expr::ref(std::string(kNetwork) + ".id"));
    hcl::Block& pc = f.block("resource", {"google_service_networking_connection", "private_services"});
    pc.body.attr("network", Expr::ref(std::string(kNetwork) + ".id"));
    pc.body.attr("service", "servicenetworking.googleapis.com");
    pc.body.attr("reserved_peering_ranges",
                 Expr::tuple({Expr::ref("google_compute_global_address.private_services.name")}));
  }

  hcl::File& o = c.file("outputs.tf");
  o.block("output", {"network"}).body.attr("value", Expr::ref(std::string(kNetwork) + ".id"));
}

}  // namespace platc::terraform_gcp
