// The file families of the AWS Terraform backend, one .cpp each, in the order they run (a later
// family may reference the resources of an earlier one by the addresses below).
#pragma once

#include <string>
#include <vector>

#include "backends/terraform_aws/context.h"

namespace platc::terraform_aws {

// Addresses every family may reference.
inline constexpr const char* kKmsKey = "aws_kms_key.main";
inline constexpr const char* kVpc = "aws_vpc.main";
inline constexpr const char* kCluster = "aws_eks_cluster.main";
inline constexpr const char* kOidc = "aws_iam_openid_connect_provider.eks";
// The cluster's security group: the nodes and the pods (VPC CNI, no security groups for pods).
inline constexpr const char* kClusterSg = "aws_eks_cluster.main.vpc_config[0].cluster_security_group_id";

// An IAM policy document: jsonencode({Version, Statement}).
Expr policy_document(std::vector<Expr> statements);
Expr statement(std::string sid, std::vector<std::string> actions, Expr resources);
// The trust policy of an IRSA role: the cluster's OIDC provider, for exactly one ServiceAccount.
Expr irsa_trust(const std::string& ns, const std::string& service_account);
// A role trust policy for OIDC web identity: `provider_arn` may assume it when every
// `StringEquals` condition holds (IRSA and the GitHub deploy role share it).
Expr web_identity_trust(Expr provider_arn, Expr string_equals);
// `arn:aws:<service>:<region>:${var.account_id}:<rest>`: known at plan time.
Expr arn(const Context& c, const std::string& service, const std::string& rest, bool regional = true);

void platform_files(Context& c);    // versions.tf, providers.tf, backend.tf, kms.tf
void network_files(Context& c);     // network.tf
void cluster_files(Context& c);     // cluster.tf
void database_files(Context& c);    // data.tf: RDS
void cache_files(Context& c);       // data.tf: ElastiCache
void messaging_files(Context& c);   // messaging.tf: SQS, MSK
void storage_files(Context& c);     // storage.tf: S3
void registry_files(Context& c);    // registry.tf: ECR
void secret_files(Context& c);      // secrets.tf: Secrets Manager
void identity_files(Context& c);    // identity.tf: IRSA roles, controllers, GitHub OIDC deploy role
void dns_files(Context& c);         // dns.tf: Route 53, ACM
void cdn_files(Context& c);         // cdn.tf: CloudFront for buckets with `cdn` (after dns_files)
void monitoring_files(Context& c);  // monitoring.tf: CloudWatch alarms
void budget_files(Context& c);      // budget.tf: AWS Budgets

// The provider's `default_tags`: the platform's tags, `environment`, `platform`, `managed-by`.
Expr default_tags(const Context& c);
// The Route 53 zone a public host lies in (the environment's `domain`, or the host's parent), as
// the address of its `aws_route53_zone` (dns.cpp creates one per zone of every exposed and CDN host).
std::string zone_resource(const Context& c, const std::string& host);
// The ACM certificate of one public host (tagged with the contract's certificate name) and its DNS
// validation record in the host's zone, through `provider` when given (CloudFront's us-east-1);
// returns the validated certificate's ARN, which its users wait for.
Expr validated_certificate(Context& c, hcl::File& f, const std::string& host, const std::string& label,
                           const char* provider = nullptr);
// A bucket's `cdn.host` ("" without `cdn`), and the address of its CloudFront distribution.
std::string cdn_host(const graph::Node& bucket);
std::string cdn_distribution(const graph::Node& bucket);

// The tags of a declared secret's entry: `Name`, the block's `tags`, and `rotation` (`90d`) when
// the secret sets one: Secrets Manager rotates only through a rotation function, which platc
// cannot write for a value people own, so the period is recorded for its owners (rotation.cpp).
Expr declared_secret_tags(const Context& c, const graph::Node& secret, const std::string& name);

// Per database / cache: the security group that admits the cluster on the store's port.
std::string data_security_group(const graph::Node& n);

}  // namespace platc::terraform_aws
