// The cluster: EKS in the private subnets with its secrets encrypted by the platform key, one
// managed node group sized from `std.sizes` (node_pool) and `platform.cluster`, the OIDC provider
// that IRSA roles trust, and the VPC CNI add-on with NetworkPolicy enforcement on (the
// NetworkPolicies of the Kubernetes output are what keeps pods apart: see design-notes).
#include "backends/terraform_aws/families.h"
#include "backends/terraform_aws/sizes.h"

namespace platc::terraform_aws {

namespace {

void service_role(hcl::File& f, const std::string& label, const std::string& name, const std::string& service,
                  const std::vector<std::string>& managed) {
  hcl::Block& r = f.block("resource", {"aws_iam_role", label});
  r.body.attr("name", name);
  r.body.attr("assume_role_policy",
              Expr::call("jsonencode",
                         {Expr::object()
                              .set("Version", "2012-10-17")
                              .set("Statement",
                                   Expr::tuple({Expr::object()
                                                    .set("Effect", "Allow")
                                                    .set("Action", "sts:AssumeRole")
                                                    .set("Principal", Expr::object().set("Service", service))}))}));
  r.body.attr("tags", Expr::object().set("Name", name));
  for (const auto& p : managed) {
    std::string l = label + "_" + p;
    for (char& ch : l)
      if (ch == '-') ch = '_';
    hcl::Block& a = f.block("resource", {"aws_iam_role_policy_attachment", l});
    a.body.attr("role", Expr::ref("aws_iam_role." + label + ".name"));
    a.body.attr("policy_arn", "arn:aws:iam::aws:policy/" + p);
  }
}

}  // namespace

void cluster_files(Context& c) {
  hcl::File& f = c.file("cluster.tf");
  std::string name = cluster_name(c);
  std::string size = c.platform ? Context::text_of(*c.platform, "cluster.size") : "";
  std::int64_t min = c.platform ? Context::int_of(*c.platform, "cluster.min_nodes", 2) : 2;
  std::int64_t max = c.platform ? Context::int_of(*c.platform, "cluster.max_nodes", 6) : 6;
  std::string version = c.platform ? Context::text_of(*c.platform, "cluster.version") : "";
  Expr instance =
      c.var({"node_instance_type", "string", "The EC2 instance type of the cluster's nodes (std.sizes node_pool).",
             Expr::str(node_instance_type(size.empty() ? "medium" : size)), std::nullopt, false});
  Expr vmin =
      c.var({"node_min", "number", "The fewest nodes of the node group.", Expr::number(min), std::nullopt, false});
  Expr vmax =
      c.var({"node_max", "number", "The most nodes of the node group.", Expr::number(max), std::nullopt, false});
  Expr public_cidrs = c.var({"cluster_public_access_cidrs", "list(string)",
                             "Who may reach the cluster's API endpoint from the internet (the pipeline, operators).",
                             std::nullopt, Expr::strings({"0.0.0.0/0"}), false});

  service_role(f, "cluster", name + "-cluster", "eks.amazonaws.com",
               {"AmazonEKSClusterPolicy", "AmazonEKSVPCResourceController"});
  hcl::Block& k = f.block("resource", {"aws_eks_cluster", "main"});
  k.body.attr("name", name);
  k.body.attr("role_arn", Expr::ref("aws_iam_role.cluster.arn"));
  if (!version.empty()) k.body.attr("version", version);
  k.body.attr("enabled_cluster_log_types", Expr::strings({"api", "audit", "authenticator"}));
  hcl::Block& vpc = k.body.block("vpc_config");
  vpc.body.attr("subnet_ids", Expr::ref("aws_subnet.private[*].id"));
  vpc.body.attr("endpoint_private_access", Expr::boolean(true));
  vpc.body.attr("endpoint_public_access", Expr::boolean(true));
  vpc.body.attr("public_access_cidrs", public_cidrs);
  k.body.block("access_config").body.attr("authentication_mode", "API");
  hcl::Block& enc = k.body.block("encryption_config");
  enc.body.attr("resources", Expr::strings({"secrets"}));
  enc.body.block("provider").body.attr("key_arn", Expr::ref(std::string(kKmsKey) + ".arn"));
  k.body.attr("tags", Expr::object().set("Name", name));
  k.body.attr("depends_on", Expr::tuple({Expr::ref("aws_iam_role_policy_attachment.cluster_AmazonEKSClusterPolicy")}));

  service_role(f, "node", name + "-node", "ec2.amazonaws.com",
               {"AmazonEKSWorkerNodePolicy", "AmazonEKS_CNI_Policy", "AmazonEC2ContainerRegistryReadOnly"});
  hcl::Block& ng = f.block("resource", {"aws_eks_node_group", "main"});
  ng.body.attr("cluster_name", Expr::ref(std::string(kCluster) + ".name"));
  ng.body.attr("node_group_name", name + "-main");
  ng.body.attr("node_role_arn", Expr::ref("aws_iam_role.node.arn"));
  ng.body.attr("subnet_ids", Expr::ref("aws_subnet.private[*].id"));
  ng.body.attr("instance_types", Expr::tuple({instance}));
  hcl::Block& sc = ng.body.block("scaling_config");
  sc.body.attr("min_size", vmin);
  sc.body.attr("desired_size", vmin);
  sc.body.attr("max_size", vmax);
  ng.body.block("update_config").body.attr("max_unavailable", Expr::number(1));
  // The cluster autoscaler changes the desired size; applying again must not undo it.
  ng.body.block("lifecycle").body.attr("ignore_changes", Expr::tuple({Expr::raw("scaling_config[0].desired_size")}));
  ng.body.attr("tags", Expr::object().set("Name", name + "-main"));
  ng.body.attr("depends_on", Expr::tuple({Expr::ref("aws_iam_role_policy_attachment.node_AmazonEKSWorkerNodePolicy"),
                                          Expr::ref("aws_iam_role_policy_attachment.node_AmazonEKS_CNI_Policy")}));

  hcl::Block& cni = f.block("resource", {"aws_eks_addon", "vpc_cni"});
  cni.body.attr("cluster_name", Expr::ref(std::string(kCluster) + ".name"));
  cni.body.attr("addon_name", "vpc-cni");
  // The CNI's network policy agent enforces the NetworkPolicies of the Kubernetes output.
  cni.body.attr("configuration_values", Expr::call("jsonencode", {Expr::object().set("enableNetworkPolicy", "true")}));
  cni.body.attr("resolve_conflicts_on_update", "OVERWRITE");

  hcl::Block& oidc = f.block("resource", {"aws_iam_openid_connect_provider", "eks"});
  oidc.body.attr("url", Expr::ref(std::string(kCluster) + ".identity[0].oidc[0].issuer"));
  oidc.body.attr("client_id_list", Expr::strings({"sts.amazonaws.com"}));
  oidc.body.attr("tags", Expr::object().set("Name", name + "-irsa"));

  hcl::File& o = c.file("outputs.tf");
  o.block("output", {"cluster_name"}).body.attr("value", Expr::ref(std::string(kCluster) + ".name"));
  o.block("output", {"cluster_endpoint"}).body.attr("value", Expr::ref(std::string(kCluster) + ".endpoint"));
}

}  // namespace platc::terraform_aws
