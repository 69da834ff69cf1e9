// A bucket's `cdn`: a CloudFront distribution at `cdn.host` in front of the private bucket. The
// distribution reads the bucket through Origin Access Control (SigV4-signed requests; the bucket's
// policy admits `cloudfront.amazonaws.com` for exactly this distribution, storage.cpp), redirects
// HTTP to HTTPS, and serves the host with an ACM certificate. CloudFront takes certificates only
// from us-east-1, so the certificate is made through the provider alias `aws.us_east_1` and
// validated through the host's Route 53 zone (dns.cpp creates it); alias records A and AAAA point
// the host at the distribution. Nothing here reads AWS at plan time.
#include "backends/terraform_aws/families.h"

namespace platc::terraform_aws {

using graph::Node;

namespace {

// AWS's managed policies, by id (docs: "Use managed cache policies", "Use managed response headers
// policies"). CachingOptimized: no cookies, headers or query strings in the key, gzip and brotli,
// TTL 1 s / 1 day / 365 days. SecurityHeadersPolicy: HSTS, nosniff, frame options, XSS, referrer.
constexpr const char* kCachingOptimized = "658327ea-f89d-4fab-a63d-7e88639e58f6";
constexpr std::int64_t kCachingOptimizedDefaultTtl = 86400;
constexpr const char* kSecurityHeaders = "67f7725c-6f97-4210-82d7-5512b31e9d03";
constexpr std::int64_t kMaxTtl = 365 * 86400;

constexpr const char* kUsEast1 = "aws.us_east_1";

// The managed policy when the bucket's `default_ttl` is its default TTL; otherwise a policy of the
// same key and compression with the bucket's TTL, so `default_ttl` is never dropped.
Expr cache_policy(Context& c, hcl::File& f, const Node& n, const std::string& l) {
  std::int64_t ttl = Context::int_of(n, "cdn.default_ttl", 3600);
  if (ttl == kCachingOptimizedDefaultTtl) return Expr::str(kCachingOptimized);
  hcl::Block& p = f.block("resource", {"aws_cloudfront_cache_policy", l});
  p.body.attr("name", c.cloud_name(n));
  p.body.attr("comment", "CachingOptimized with the default TTL of bucket " + n.id);
  p.body.attr("default_ttl", Expr::number(ttl));
  p.body.attr("min_ttl", Expr::number(0));
  p.body.attr("max_ttl", Expr::number(kMaxTtl));
  hcl::Block& k = p.body.block("parameters_in_cache_key_and_forwarded_to_origin");
  k.body.attr("enable_accept_encoding_brotli", Expr::boolean(true));
  k.body.attr("enable_accept_encoding_gzip", Expr::boolean(true));
  k.body.block("cookies_config").body.attr("cookie_behavior", "none");
  k.body.block("headers_config").body.attr("header_behavior", "none");
  k.body.block("query_strings_config").body.attr("query_string_behavior", "none");
  return Expr::ref("aws_cloudfront_cache_policy." + l + ".id");
}

void distribution(Context& c, hcl::File& f, const Node& n, const std::string& host) {
  std::string l = Context::label(n.id);
  std::string name = c.cloud_name(n);
  std::string origin = "s3-" + name;

  hcl::Block& oac = f.block("resource", {"aws_cloudfront_origin_access_control", l});
  oac.body.attr("name", name);
  oac.body.attr("description", "CloudFront reads bucket " + name + " with signed requests");
  oac.body.attr("origin_access_control_origin_type", "s3");
  oac.body.attr("signing_behavior", "always");
  oac.body.attr("signing_protocol", "sigv4");

  Expr policy = cache_policy(c, f, n, l);
  // CloudFront takes certificates only from us-east-1.
  Expr cert = validated_certificate(c, f, host, "cdn_" + l, kUsEast1);

  hcl::Block& d = f.block("resource", {"aws_cloudfront_distribution", l});
  d.body.attr("enabled", Expr::boolean(true));
  d.body.attr("is_ipv6_enabled", Expr::boolean(true));
  d.body.attr("http_version", "http2and3");
  d.body.attr("comment", "platc " + c.prefix + ": bucket " + n.id + " at " + host);
  d.body.attr("aliases", Expr::strings({host}));
  d.body.attr("price_class", "PriceClass_All");
  hcl::Block& o = d.body.block("origin");
  o.body.attr("origin_id", origin);
  o.body.attr("domain_name", Expr::ref("aws_s3_bucket." + l + ".bucket_regional_domain_name"));
  o.body.attr("origin_access_control_id", Expr::ref("aws_cloudfront_origin_access_control." + l + ".id"));
  hcl::Block& b = d.body.block("default_cache_behavior");
  b.body.attr("target_origin_id", origin);
  b.body.attr("viewer_protocol_policy", "redirect-to-https");
  b.body.attr("allowed_methods", Expr::strings({"GET", "HEAD"}));
  b.body.attr("cached_methods", Expr::strings({"GET", "HEAD"}));
  b.body.attr("compress", Expr::boolean(true));
  b.body.attr("cache_policy_id", std::move(policy));
  b.body.attr("response_headers_policy_id", kSecurityHeaders);
  d.body.block("restrictions").body.block("geo_restriction").body.attr("restriction_type", "none");
  hcl::Block& vc = d.body.block("viewer_certificate");
  vc.body.attr("acm_certificate_arn", std::move(cert));
  vc.body.attr("ssl_support_method", "sni-only");
  vc.body.attr("minimum_protocol_version", "TLSv1.2_2021");
  d.body.attr("tags", c.tags_of(&n, name));

  std::string dist = cdn_distribution(n);
  for (const char* type : {"A", "AAAA"}) {
    hcl::Block& r =
        f.block("resource", {"aws_route53_record", "cdn_" + l + (std::string(type) == "A" ? "_a" : "_aaaa")});
    r.body.attr("zone_id", Expr::ref(zone_resource(c, host) + ".zone_id"));
    r.body.attr("name", host);
    r.body.attr("type", type);
    hcl::Block& a = r.body.block("alias");
    a.body.attr("name", Expr::ref(dist + ".domain_name"));
    a.body.attr("zone_id", Expr::ref(dist + ".hosted_zone_id"));
    a.body.attr("evaluate_target_health", Expr::boolean(false));
  }
}

// The platform key's policy: the account's IAM policies decide (the default key policy), and
// CloudFront may decrypt for exactly the distributions of encrypted buckets (SSE-KMS objects are
// unreadable through OAC otherwise).
void key_policy(Context& c, const std::vector<const Node*>& encrypted) {
  if (encrypted.empty()) return;
  Expr arns = Expr::tuple();
  for (const Node* n : encrypted) arns.push(Expr::ref(cdn_distribution(*n) + ".arn"));
  Expr root = Expr::tmpl({Expr::str("arn:aws:iam::"), Expr::ref("var.account_id"), Expr::str(":root")});
  std::vector<Expr> st;
  st.push_back(Expr::object()
                   .set("Sid", "AccountIamPolicies")
                   .set("Effect", "Allow")
                   .set("Principal", Expr::object().set("AWS", std::move(root)))
                   .set("Action", "kms:*")
                   .set("Resource", "*"));
  st.push_back(
      Expr::object()
          .set("Sid", "CloudFrontReadsBuckets")
          .set("Effect", "Allow")
          .set("Principal", Expr::object().set("Service", "cloudfront.amazonaws.com"))
          .set("Action", "kms:Decrypt")
          .set("Resource", "*")
          .set("Condition", Expr::object().set("StringEquals", Expr::object().set("AWS:SourceArn", std::move(arns)))));
  hcl::Block& p = c.file("kms.tf").block("resource", {"aws_kms_key_policy", "main"});
  p.body.attr("key_id", Expr::ref(std::string(kKmsKey) + ".id"));
  p.body.attr("policy", policy_document(std::move(st)));
}

}  // namespace

std::string cdn_distribution(const Node& bucket) {
  return "aws_cloudfront_distribution." + Context::label(bucket.id);
}

std::string cdn_host(const Node& bucket) {
  if (!bucket.has_block("cdn")) return "";
  const graph::Value* h = bucket.value("cdn.host");
  return h && h->is_plain_string() ? h->plain() : "";
}

void cdn_files(Context& c) {
  std::vector<const Node*> served, encrypted;
  for (const Node* n : c.of_kind("bucket"))
    if (!cdn_host(*n).empty()) served.push_back(n);
  if (served.empty()) return;
  // CloudFront's certificates live in us-east-1, whatever the platform's region.
  hcl::Block& p = c.file("providers.tf").block("provider", {"aws"});
  p.body.attr("alias", "us_east_1");
  p.body.attr("region", "us-east-1");
  p.body.block("default_tags").body.attr("tags", default_tags(c));
  hcl::File& f = c.file("cdn.tf");
  Expr out = Expr::object();
  for (const Node* n : served) {
    c.note_source(n);
    distribution(c, f, *n, cdn_host(*n));
    if (Context::bool_of(*n, "encryption", true)) encrypted.push_back(n);
    out.set(cdn_host(*n), Expr::ref(cdn_distribution(*n) + ".id"));
  }
  key_policy(c, encrypted);
  c.file("outputs.tf").block("output", {"cdn_distributions"}).body.attr("value", std::move(out));
}

}  // namespace platc::terraform_aws
