// The registry: one ECR repository per image the pipeline builds (`build("./dir")`), named as the
// Kubernetes output names the image (`<platform>/<dir>`), with immutable tags (a tag is one
// build, forever), a scan on every push, the platform key, and untagged layers expired.
#include <set>

#include "backends/terraform_aws/families.h"

namespace platc::terraform_aws {

void registry_files(Context& c) {
  std::set<std::string> repos;
  for (const auto& [id, repo] : c.repositories()) repos.insert(repo);
  if (repos.empty()) return;
  hcl::File& f = c.file("registry.tf");
  hcl::File& o = c.file("outputs.tf");
  Expr urls = Expr::object();
  for (const auto& repo : repos) {
    std::string l = "image_" + Context::label(repo.substr(repo.find('/') + 1));
    for (char& ch : l)
      if (ch == '/' || ch == '.') ch = '_';
    hcl::Block& r = f.block("resource", {"aws_ecr_repository", l});
    r.body.attr("name", repo);
    r.body.attr("image_tag_mutability", "IMMUTABLE");
    r.body.block("image_scanning_configuration").body.attr("scan_on_push", Expr::boolean(true));
    hcl::Block& enc = r.body.block("encryption_configuration");
    enc.body.attr("encryption_type", "KMS");
    enc.body.attr("kms_key", Expr::ref(std::string(kKmsKey) + ".arn"));
    r.body.attr("tags", Expr::object().set("Name", repo));
    hcl::Block& lp = f.block("resource", {"aws_ecr_lifecycle_policy", l});
    lp.body.attr("repository", Expr::ref("aws_ecr_repository." + l + ".name"));
    lp.body.attr(
        "policy", Expr::call("jsonencode",
                             {Expr::object().set(
                                 "rules", Expr::tuple({Expr::object()
                                                           .set("rulePriority", Expr::number(1))
                                                           .set("description", "expire untagged images after 14 days")
                                                           .set("selection", Expr::object()
                                                                                 .set("tagStatus", "untagged")
                                                                                 .set("countType", "sinceImagePushed")
                                                                                 .set("countUnit", "days")
                                                                                 .set("countNumber", Expr::number(14)))
                                                           .set("action", Expr::object().set("type", "expire"))}))}));
    urls.set(repo, Expr::ref("aws_ecr_repository." + l + ".repository_url"));
  }
  o.block("output", {"image_repositories"}).body.attr("value", urls);
}

}  // namespace platc::terraform_aws
