// Buckets: S3 with the owner enforced (no ACLs), public access blocked, SSE-KMS with the platform
// key, versioning, the lifecycle the block says, and a policy that refuses anything but TLS. A
// `public` bucket lets anyone read an object by name (s3:GetObject), never list it. A bucket with
// `cdn` stays private: its policy lets CloudFront read objects for exactly its distribution
// (Origin Access Control, cdn.cpp).
#include "backends/terraform_aws/families.h"

namespace platc::terraform_aws {

using graph::Node;

namespace {

void lifecycle(hcl::File& f, const Node& n, const std::string& l) {
  hcl::Block& lc = f.block("resource", {"aws_s3_bucket_lifecycle_configuration", l});
  lc.body.attr("bucket", Expr::ref("aws_s3_bucket." + l + ".id"));
  hcl::Block& r = lc.body.block("rule");
  r.body.attr("id", "platc");
  r.body.attr("status", "Enabled");
  r.body.block("filter");
  auto days = [&](const char* path) -> std::int64_t {
    const graph::Value* v = n.value(path);
    return v ? (v->i + 86399) / 86400 : 0;
  };
  std::int64_t abort = n.value("lifecycle.abort_uploads_after") ? days("lifecycle.abort_uploads_after") : 7;
  r.body.block("abort_incomplete_multipart_upload").body.attr("days_after_initiation", Expr::number(abort));
  if (std::int64_t d = days("lifecycle.archive_after")) {
    hcl::Block& t = r.body.block("transition");
    t.body.attr("days", Expr::number(d));
    t.body.attr("storage_class", "GLACIER_IR");
  }
  if (std::int64_t d = days("lifecycle.expire_after")) r.body.block("expiration").body.attr("days", Expr::number(d));
  if (std::int64_t d = days("lifecycle.noncurrent_expire_after"))
    r.body.block("noncurrent_version_expiration").body.attr("noncurrent_days", Expr::number(d));
  lc.body.attr("depends_on", Expr::tuple({Expr::ref("aws_s3_bucket_versioning." + l)}));
}

}  // namespace

void storage_files(Context& c) {
  auto buckets = c.of_kind("bucket");
  if (buckets.empty()) return;
  hcl::File& f = c.file("storage.tf");
  for (const Node* n : buckets) {
    c.note_source(n);
    std::string l = Context::label(n->id);
    std::string name = c.cloud_name(*n);
    std::string bucket = "aws_s3_bucket." + l;
    bool pub = Context::bool_of(*n, "public");
    hcl::Block& b = f.block("resource", {"aws_s3_bucket", l});
    b.body.attr("bucket", name);
    b.body.attr("tags", c.tags_of(n, name));

    hcl::Block& own = f.block("resource", {"aws_s3_bucket_ownership_controls", l});
    own.body.attr("bucket", Expr::ref(bucket + ".id"));
    own.body.block("rule").body.attr("object_ownership", "BucketOwnerEnforced");

    hcl::Block& pab = f.block("resource", {"aws_s3_bucket_public_access_block", l});
    pab.body.attr("bucket", Expr::ref(bucket + ".id"));
    pab.body.attr("block_public_acls", Expr::boolean(true));
    pab.body.attr("ignore_public_acls", Expr::boolean(true));
    // A public bucket is readable through its policy only; ACLs stay blocked.
    pab.body.attr("block_public_policy", Expr::boolean(!pub));
    pab.body.attr("restrict_public_buckets", Expr::boolean(!pub));

    hcl::Block& ver = f.block("resource", {"aws_s3_bucket_versioning", l});
    ver.body.attr("bucket", Expr::ref(bucket + ".id"));
    ver.body.block("versioning_configuration")
        .body.attr("status", Context::bool_of(*n, "versioning", true) ? "Enabled" : "Suspended");

    if (Context::bool_of(*n, "encryption", true)) {
      hcl::Block& enc = f.block("resource", {"aws_s3_bucket_server_side_encryption_configuration", l});
      enc.body.attr("bucket", Expr::ref(bucket + ".id"));
      hcl::Block& rule = enc.body.block("rule");
      hcl::Block& d = rule.body.block("apply_server_side_encryption_by_default");
      d.body.attr("sse_algorithm", "aws:kms");
      d.body.attr("kms_master_key_id", Expr::ref(std::string(kKmsKey) + ".arn"));
      rule.body.attr("bucket_key_enabled", Expr::boolean(true));
    }
    lifecycle(f, *n, l);

    std::string arn = "arn:aws:s3:::" + name;
    std::vector<Expr> st;
    st.push_back(Expr::object()
                     .set("Sid", "DenyInsecureTransport")
                     .set("Effect", "Deny")
                     .set("Principal", "*")
                     .set("Action", "s3:*")
                     .set("Resource", Expr::strings({arn, arn + "/*"}))
                     .set("Condition", Expr::object().set("Bool", Expr::object().set("aws:SecureTransport", "false"))));
    if (pub)
      st.push_back(Expr::object()
                       .set("Sid", "PublicReadByName")
                       .set("Effect", "Allow")
                       .set("Principal", "*")
                       .set("Action", "s3:GetObject")
                       .set("Resource", arn + "/*"));
    if (!cdn_host(*n).empty())
      st.push_back(
          Expr::object()
              .set("Sid", "CloudFrontReadsThroughOAC")
              .set("Effect", "Allow")
              .set("Principal", Expr::object().set("Service", "cloudfront.amazonaws.com"))
              .set("Action", "s3:GetObject")
              .set("Resource", arn + "/*")
              .set("Condition",
                   Expr::object().set("StringEquals",
                                      Expr::object().set("AWS:SourceArn", Expr::ref(cdn_distribution(*n) + ".arn")))));
    hcl::Block& pol = f.block("resource", {"aws_s3_bucket_policy", l});
    pol.body.attr("bucket", Expr::ref(bucket + ".id"));
    pol.body.attr(
        "policy",
        Expr::call("jsonencode",
                   {Expr::object().set("Version", "2012-10-17").set("Statement", Expr::tuple(std::move(st)))}));
    pol.body.attr("depends_on", Expr::tuple({Expr::ref("aws_s3_bucket_public_access_block." + l)}));
  }
}

}  // namespace platc::terraform_aws
