// The cluster: GKE in the nodes' subnet, VPC-native, private nodes (no public addresses; egress
// through Cloud NAT), Workload Identity, Dataplane V2 (which enforces the NetworkPolicies of the
// Kubernetes output), regional (three zones); one autoscaled node pool sized from `std.sizes` (node_pool) and
// `platform.cluster`, running as a service account with only the roles nodes need.
#include "backends/terraform_gcp/families.h"
#include "backends/terraform_gcp/sizes.h"

namespace platc::terraform_gcp {

void cluster_files(Context& c) {
  hcl::File& f = c.file("cluster.tf");
  std::string name = cluster_name(c);
  std::string size = c.platform ? Context::text_of(*c.platform, "cluster.size") : "";
  std::int64_t min = c.platform ? Context::int_of(*c.platform, "cluster.min_nodes", 2) : 2;
  std::int64_t max = c.platform ? Context::int_of(*c.platform, "cluster.max_nodes", 6) : 6;
  bool production = c.env_node && Context::text_of(*c.env_node, "approval") == "required";
  // Regional in every environment: the control plane and the nodes in three zones, and the
  // location the pipeline fetches the credentials from (the region, as the workflow names it).
  Expr location = Expr::str(c.region);
  Expr machine = c.var({"node_machine_type", "string", "The machine type of the cluster's nodes (std.sizes node_pool).",
                        Expr::str(machine_type(size.empty() ? "medium" : size)), std::nullopt, false});
  Expr vmin = c.var({"node_min", "number", "The fewest nodes of the node pool, over all its zones.", Expr::number(min),
                     std::nullopt, false});
  Expr vmax = c.var({"node_max", "number", "The most nodes of the node pool, over all its zones.", Expr::number(max),
                     std::nullopt, false});
  Expr protect = c.var({"cluster_deletion_protection", "bool", "Refuse to destroy the cluster.",
                        Expr::boolean(production), std::nullopt, false});
  c.var({"cluster_authorized_networks", "list(string)",
         "Who may reach the cluster's API endpoint (the pipeline, operators), as CIDR ranges.", std::nullopt,
         Expr::strings({"0.0.0.0/0"}), false});

  hcl::Block& sa = f.block("resource", {"google_service_account", "nodes"});
  sa.body.attr("account_id", node_account(c.g));
  sa.body.attr("display_name", "GKE nodes of " + c.prefix);
  hcl::Block& roles = f.block("resource", {"google_project_iam_member", "nodes"});
  roles.body.attr("for_each",
                  Expr::call("toset", {Expr::strings({"roles/artifactregistry.reader", "roles/logging.logWriter",
                                                      "roles/monitoring.metricWriter", "roles/monitoring.viewer",
                                                      "roles/stackdriver.resourceMetadata.writer"})}));
  roles.body.attr("project", Expr::ref("var.project"));
  roles.body.attr("role", Expr::ref("each.value"));
  roles.body.attr("member", member_of("nodes"));

  hcl::Block& k = f.block("resource", {"google_container_cluster", "main"});
  k.body.attr("name", name);
  k.body.attr("location", location);
  k.body.attr("network", Expr::ref(std::string(kNetwork) + ".id"));
  k.body.attr("subnetwork", Expr::ref(std::string(kSubnet) + ".id"));
  k.body.attr("networking_mode", "VPC_NATIVE");
  // Dataplane V2: NetworkPolicy enforcement built in.
  k.body.attr("datapath_provider", "ADVANCED_DATAPATH");
  k.body.attr("remove_default_node_pool", Expr::boolean(true));
  k.body.attr("initial_node_count", Expr::number(1));
  k.body.attr("deletion_protection", protect);
  k.body.attr("enable_shielded_nodes", Expr::boolean(true));
  hcl::Block& ip = k.body.block("ip_allocation_policy");
  ip.body.attr("cluster_secondary_range_name", "pods");
  ip.body.attr("services_secondary_range_name", "services");
  hcl::Block& priv = k.body.block("private_cluster_config");
  priv.body.attr("enable_private_nodes", Expr::boolean(true));
  priv.body.attr("enable_private_endpoint", Expr::boolean(false));
  priv.body.attr("master_ipv4_cidr_block", "172.16.0.0/28");
  hcl::Block& man = k.body.block("master_authorized_networks_config");
  hcl::Block& dyn = man.body.block("dynamic", {"cidr_blocks"});
  dyn.body.attr("for_each", Expr::ref("var.cluster_authorized_networks"));
  hcl::Block& content = dyn.body.block("content");
  content.body.attr("cidr_block", Expr::ref("cidr_blocks.value"));
  content.body.attr("display_name", Expr::ref("cidr_blocks.value"));
  k.body.block("workload_identity_config").body.attr("workload_pool", c.project + ".svc.id.goog");
  k.body.block("release_channel").body.attr("channel", "REGULAR");
  k.body.block("node_config").body.attr("service_account", Expr::ref("google_service_account.nodes.email"));
  k.body.attr("depends_on", Expr::tuple({Expr::ref("google_project_iam_member.nodes")}));

  hcl::Block& np = f.block("resource", {"google_container_node_pool", "main"});
  np.body.attr("name", "main");
  np.body.attr("cluster", Expr::ref(std::string(kCluster) + ".id"));
  np.body.attr("location", location);
  hcl::Block& as = np.body.block("autoscaling");
  as.body.attr("total_min_node_count", vmin);
  as.body.attr("total_max_node_count", vmax);
  as.body.attr("location_policy", "BALANCED");
  hcl::Block& mg = np.body.block("management");
  mg.body.attr("auto_repair", Expr::boolean(true));
  mg.body.attr("auto_upgrade", Expr::boolean(true));
  hcl::Block& up = np.body.block("upgrade_settings");
  up.body.attr("max_surge", Expr::number(1));
  up.body.attr("max_unavailable", Expr::number(0));
  hcl::Block& nc = np.body.block("node_config");
  nc.body.attr("machine_type", machine);
  nc.body.attr("disk_type", "pd-balanced");
  nc.body.attr("disk_size_gb", Expr::number(100));
  nc.body.attr("service_account", Expr::ref("google_service_account.nodes.email"));
  nc.body.attr("oauth_scopes", Expr::strings({"https://www.googleapis.com/auth/cloud-platform"}));
  // GKE's metadata server: pods get their own Workload Identity, never the node's account.
  nc.body.block("workload_metadata_config").body.attr("mode", "GKE_METADATA");
  hcl::Block& sh = nc.body.block("shielded_instance_config");
  sh.body.attr("enable_secure_boot", Expr::boolean(true));
  sh.body.attr("enable_integrity_monitoring", Expr::boolean(true));
  nc.body.attr("resource_labels", Expr::object().set("node-pool", "main"));

  hcl::File& o = c.file("outputs.tf");
  o.block("output", {"cluster_name"}).body.attr("value", Expr::ref(std::string(kCluster) + ".name"));
  o.block("output", {"cluster_location"}).body.attr("value", Expr::ref(std::string(kCluster) + ".location"));
}

}  // namespace platc::terraform_gcp
