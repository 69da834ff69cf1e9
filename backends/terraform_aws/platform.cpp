// The module's frame: pinned Terraform and provider versions, the provider with the platform's
// tags on every resource, the S3 state backend (one state per environment), the account inputs,
// and the platform key every encrypted resource uses. Also the IAM helpers the families share.
#include "backends/terraform_aws/families.h"

namespace platc::terraform_aws {

Expr policy_document(std::vector<Expr> statements) {
  return Expr::call("jsonencode",
                    {Expr::object().set("Version", "2012-10-17").set("Statement", Expr::tuple(std::move(statements)))});
}

Expr statement(std::string sid, std::vector<std::string> actions, Expr resources) {
  return Expr::object()
      .set("Sid", std::move(sid))
      .set("Effect", "Allow")
      .set("Action", Expr::strings(actions))
      .set("Resource", std::move(resources));
}

// The OIDC issuer is known once the cluster exists, so the condition keys are built with zipmap
// (an object key cannot be a template): `<issuer>:sub` must be exactly this ServiceAccount, and
// `<issuer>:aud` STS, so no other pod of the cluster can assume the role.
Expr irsa_trust(const std::string& ns, const std::string& sa) {
  Expr issuer = Expr::ref("local.oidc_issuer");
  Expr cond = Expr::call(
      "zipmap", {Expr::tuple({Expr::tmpl({issuer, Expr::str(":sub")}), Expr::tmpl({issuer, Expr::str(":aud")})}),
                 Expr::strings({"system:serviceaccount:" + ns + ":" + sa, "sts.amazonaws.com"})});
  return web_identity_trust(Expr::ref(std::string(kOidc) + ".arn"), std::move(cond));
}

Expr web_identity_trust(Expr provider_arn, Expr string_equals) {
  return Expr::call(
      "jsonencode",
      {Expr::object()
           .set("Version", "2012-10-17")
           .set("Statement",
                Expr::tuple({Expr::object()
                                 .set("Effect", "Allow")
                                 .set("Action", "sts:AssumeRoleWithWebIdentity")
                                 .set("Principal", Expr::object().set("Federated", std::move(provider_arn)))
                                 .set("Condition", Expr::object().set("StringEquals", std::move(string_equals)))}))});
}

Expr arn(const Context& c, const std::string& service, const std::string& rest, bool regional) {
  return Expr::tmpl({Expr::str("arn:aws:" + service + ":" + (regional ? c.region : std::string()) + ":"),
                     Expr::ref("var.account_id"), Expr::str(":" + rest)});
}

Expr default_tags(const Context& c) {
  Expr tags = Expr::object();
  for (const auto& [k, val] : c.tags) tags.set(k, val);
  tags.set("environment", c.g.environment);
  tags.set("platform", c.g.platform);
  tags.set("managed-by", "platc");
  return tags;
}

void platform_files(Context& c) {
  hcl::File& v = c.file("versions.tf");
  hcl::Block& tf = v.block("terraform");
  // 1.11: write-only attributes and ephemeral resources keep the generated passwords out of the
  // state (secrets.tf).
  tf.body.attr("required_version", ">= 1.11");
  tf.body.block("required_providers")
      .body.attr("aws", Expr::object().set("source", "hashicorp/aws").set("version", "~> 5.100"));

  hcl::File& p = c.file("providers.tf");
  hcl::Block& prov = p.block("provider", {"aws"});
  prov.body.attr("region", c.region);
  prov.body.block("default_tags").body.attr("tags", default_tags(c));
  hcl::Block& loc = p.block("locals");
  // The cluster's OIDC issuer without the scheme: the prefix of the IRSA condition keys.
  loc.body.attr("oidc_issuer", Expr::call("replace", {Expr::ref(std::string(kCluster) + ".identity[0].oidc[0].issuer"),
                                                      Expr::str("https://"), Expr::str("")}));

  hcl::File& b = c.file("backend.tf");
  b.comment(
      "One state per environment, in an S3 bucket of the account with S3's own locking (use_lockfile).\n"
      "The bucket is given at init: terraform init -backend-config=\"bucket=<state bucket>\"\n"
      "(create it once, versioned and encrypted: see ../README.md).");
  hcl::Block& s3 = b.block("terraform").body.block("backend", {"s3"});
  s3.body.attr("key", c.g.platform + "/" + c.g.environment + "/terraform.tfstate");
  s3.body.attr("region", c.region);
  s3.body.attr("encrypt", Expr::boolean(true));
  s3.body.attr("use_lockfile", Expr::boolean(true));

  c.var({"account_id", "string",
         "The AWS account of this environment (12 digits): ARNs in policies are written with it, so the plan shows "
         "them whole.",
         Expr::str(c.d.account().empty() ? std::string("000000000000") : c.d.account()), std::nullopt, false});

  hcl::File& k = c.file("kms.tf");
  hcl::Block& key = k.block("resource", {"aws_kms_key", "main"});
  key.body.attr("description", "platc " + c.prefix + ": databases, caches, buckets, queues, secrets, cluster secrets");
  key.body.attr("enable_key_rotation", Expr::boolean(true));
  key.body.attr("deletion_window_in_days", Expr::number(30));
  key.body.attr("tags", Expr::object().set("Name", c.prefix));
  hcl::Block& alias = k.block("resource", {"aws_kms_alias", "main"});
  alias.body.attr("name", "alias/" + c.prefix);
  alias.body.attr("target_key_id", Expr::ref(std::string(kKmsKey) + ".key_id"));
}

}  // namespace platc::terraform_aws
