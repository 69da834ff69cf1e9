// The registry: one Azure Container Registry per environment (registry_name), no admin user and
// no anonymous pull: the cluster's kubelet identity pulls (AcrPull) and the pipeline's identity
// pushes (AcrPush, identity.tf). The repositories, `<platform>/<dir>` as the Kubernetes output
// names the images, are created by the first push; the output lists them with the login server.
#include <set>

#include "backends/terraform_azure/families.h"

namespace platc::terraform_azure {

void registry_files(Context& c) {
  std::set<std::string> repos;
  for (const auto& [id, repo] : c.repositories()) repos.insert(repo);
  if (repos.empty()) return;
  hcl::File& f = c.file("registry.tf");
  hcl::Block& r = f.block("resource", {"azurerm_container_registry", "main"});
  placed(r, registry_name(c.d));
  r.body.attr("sku", "Standard");
  r.body.attr("admin_enabled", Expr::boolean(false));
  r.body.attr("anonymous_pull_enabled", Expr::boolean(false));
  r.body.attr("tags", Expr::ref("local.tags"));
  role(f, "cluster_pull", "AcrPull", Expr::ref(std::string(kRegistry) + ".id"),
       Expr::ref(std::string(kCluster) + ".kubelet_identity[0].object_id"), "the cluster's nodes pull the images");
  hcl::File& o = c.file("outputs.tf");
  o.block("output", {"registry_login_server"}).body.attr("value", Expr::ref(std::string(kRegistry) + ".login_server"));
  Expr images = Expr::object();
  for (const auto& repo : repos)
    images.set(repo, Expr::tmpl({Expr::ref(std::string(kRegistry) + ".login_server"), Expr::str("/" + repo)}));
  o.block("output", {"image_repositories"}).body.attr("value", images);
}

}  // namespace platc::terraform_azure
