// The deployment contract (backends/contract/): the per-target table and the names one artifact
// creates and another reads. The second half tests what the Kubernetes output means for every
// example, environment and target: every Secret, ConfigMap key, ServiceAccount and Service a
// manifest refers to is one the manifests create, and every name that crosses to the cloud side
// is the contract's.
#include <doctest/doctest.h>

#include <map>
#include <optional>
#include <set>
#include <string>

#include "backends/contract/cloud_names.h"
#include "backends/contract/names.h"
#include "backends/contract/target.h"
#include "backends/kubernetes/kubernetes.h"
#include "tests/unit/examples.h"

using namespace platc;
using emit::YamlNode;

namespace {

graph::Node resource(const std::string& kind, const std::string& id) {
  graph::Node n;
  n.kind = kind;
  n.name = n.id = id;
  return n;
}

}  // namespace

TEST_CASE("contract: the per-target table") {
  CHECK(contract::target("aws").cloud == contract::Cloud::Aws);
  CHECK(contract::target("gcp").cloud == contract::Cloud::Gcp);
  CHECK(contract::target("azure").cloud == contract::Cloud::Azure);
  CHECK(contract::target("").cloud == contract::Cloud::None);
  CHECK(contract::target("openstack").cloud == contract::Cloud::None);
  CHECK(contract::clouds().size() == 3);
  std::set<std::string_view> stores, classes;
  for (const auto* t : contract::clouds()) {
    CAPTURE(t->name);
    // Every cloud says everything a manifest needs from it.
    CHECK(!t->secret_store.empty());
    CHECK(!t->ingress_class.empty());
    CHECK(!t->monitoring_datasource.empty());
    CHECK(t->cache_port_tls > 0);
    CHECK(t->cache_port_plain == 6379);  // plaintext Redis listens on its standard port everywhere
    CHECK(!t->kafka_ports.empty());
    CHECK(t->identity != contract::IdentityBinding::None);
    CHECK(t->metadata_cidr.empty() == t->metadata_ports.empty());
    stores.insert(t->secret_store);
    classes.insert(t->ingress_class);
    for (const auto& a : t->ingress_annotations) {
      CHECK(!a.key.empty());
      // Placeholders are the ones the Kubernetes backend fills.
      std::string v(a.value);
      for (std::size_t at = v.find('{'); at != std::string::npos; at = v.find('{', at + 1)) {
        std::string ph = v.substr(at, v.find('}', at) - at + 1);
        if (ph.starts_with("{\"")) continue;  // JSON in listen-ports
        CHECK((ph == "{namespace}" || ph == "{certificate}" || ph == "{readiness}" || ph == "{frontend_config}"));
      }
    }
  }
  CHECK(stores.size() == 3);
  CHECK(classes.size() == 3);
  CHECK(contract::database_port("postgres") == 5432);
  CHECK(contract::database_port("mysql") == 3306);
}

TEST_CASE("contract: names of one deployment") {
  contract::Deployment d("Acme_Shop", "prod_eu", "aws");
  CHECK(d.ns() == "acme-shop-prod-eu");
  CHECK(d.release() == d.ns());
  CHECK(d.chart() == "acme-shop");
  CHECK(d.prefix() == "acme-shop-prod-eu");
  CHECK(d.cloud_name(resource("database", "orders_db")) == "acme-shop-prod-eu-orders-db");
  CHECK(d.connection_entry("orders_db") == "acme-shop-prod-eu-orders-db-connection");
  CHECK(d.identity("billing") == "acme-shop-prod-eu-billing");
  CHECK(d.identity_reference("billing") == "arn:aws:iam::000000000000:role/acme-shop-prod-eu-billing");
  CHECK(d.certificate("www.shop.example.com") == "acme-shop-prod-eu-www-shop-example-com");
  CHECK(d.certificate("*.shop.example.com") == "acme-shop-prod-eu-wildcard-shop-example-com");
  CHECK(contract::ingress_name("*.shop.example.com") == "wildcard.shop.example.com");
  CHECK(d.dashboard_uid("ops") == "acme-shop-prod-eu-ops");

  contract::Deployment g("acme", "dev", "gcp");
  // A GCP service account id has 6-30 characters: the suffix makes `api` long enough.
  CHECK(g.identity("api") == "api-identity");
  CHECK(g.identity_reference("api") == "api-identity@acme-dev.iam.gserviceaccount.com");
  contract::Deployment z("acme", "dev", "azure");
  CHECK(z.identity_reference("api") == "00000000-0000-0000-0000-000000000000");
  CHECK(z.resource_group() == "acme-dev");
  CHECK(z.messaging_namespace() == "acme-dev");
  // Storage accounts: 3-24 lower-case letters and digits.
  std::string account = z.cloud_name(resource("bucket", "media_uploads_archive"));
  CHECK(account == std::string("acmedevmediauploadsarchive").substr(0, 24));
  CHECK(account.size() <= 24);
  CHECK(account.find('-') == std::string::npos);
  CHECK(contract::Deployment("acme", "dev", "").identity_reference("api").empty());
}

TEST_CASE("contract: the pipeline's GCP service account ids fit 30 characters") {
  // Short enough: as on every cloud.
  contract::Deployment g("acme", "dev", "gcp");
  CHECK(g.terraform_identity() == "acme-dev-terraform");
  CHECK(g.deploy_identity() == "acme-dev-deploy");
  // `ledger-reconcile-production-terraform` is 37: cut, hashed, still naming its role.
  contract::Deployment l("ledger_reconcile", "production", "gcp");
  for (const std::string& id : {l.terraform_identity(), l.deploy_identity(), l.plan_identity()}) {
    CHECK(id.size() <= 30);
    CHECK(id.front() >= 'a');
    CHECK(id.front() <= 'z');
    CHECK(id.back() != '-');
  }
  CHECK(l.terraform_identity().ends_with("-terraform"));
  CHECK(l.deploy_identity().ends_with("-deploy"));
  CHECK(l.terraform_identity() == contract::Deployment("ledger_reconcile", "production", "gcp").terraform_identity());
  // Two environments that share the cut prefix still differ.
  CHECK(l.terraform_identity() != contract::Deployment("ledger_reconcile", "production2", "gcp").terraform_identity());
  // Other clouds keep the whole name (an IAM role name or an Azure identity takes it).
  CHECK(contract::Deployment("ledger_reconcile", "production", "aws").terraform_identity() ==
        "ledger-reconcile-production-terraform");
}

TEST_CASE("contract: what ${x.name} is, per kind and target") {
  contract::Deployment aws("acme", "prod", "aws");
  contract::Deployment az("acme", "prod", "azure");
  // Cloud resources: the name the cloud side creates, which the dashboards query too.
  CHECK(aws.output_name(resource("bucket", "media")) == "acme-prod-media");
  CHECK(az.output_name(resource("bucket", "media")) == "acmeprodmedia");
  CHECK(aws.output_name(resource("queue", "order_events")) == "acme-prod-order-events");
  CHECK(aws.output_name(resource("cache", "sessions")) == "acme-prod-sessions");
  // The database inside the instance and the topic on the cluster keep the block's name.
  CHECK(aws.output_name(resource("database", "orders")) == "orders");
  CHECK(aws.output_name(resource("topic", "task_events")) == "task_events");
  // Kubernetes objects: their Kubernetes name.
  graph::Node w = resource("service", "order_api");
  w.traits = {"workload"};
  CHECK(aws.output_name(w) == "order-api");
  CHECK(aws.output_name(resource("dashboard", "ops_board")) == "ops-board");
}

TEST_CASE("contract: every ${x.name} a workload or an alert reads is the contract's name of x") {
  std::size_t checked = 0;
  for (const auto& ex : testing::compile_examples()) {
    for (const auto& g : ex.model.graphs) {
      CAPTURE(ex.name);
      CAPTURE(g.environment);
      CAPTURE(g.target);
      contract::Deployment d(g);
      const auto files = kubernetes::generate(g, {});
      std::string all;
      for (const auto& f : files) all += f.content;
      for (const auto& n : g.nodes)
        for (const auto& [path, a] : n.attrs)
          for (const auto& p : a.value.pieces) {
            if (p.ref_output != "name" || p.ref_resource.empty()) continue;
            const graph::Node* t = g.find(p.ref_resource);
            REQUIRE(t);
            // The generated objects say the contract's name, never the `${…}` left unresolved.
            CHECK_MESSAGE(all.find(d.output_name(*t)) != std::string::npos, n.id, ".", path, " -> ", t->id);
            CHECK(all.find("${" + p.ref_resource + ".name}") == std::string::npos);
            ++checked;
          }
    }
  }
  CHECK(checked > 0);
}

TEST_CASE("contract: Kubernetes object names, connection secrets, hook copies") {
  CHECK(contract::object_name("collector_sec") == "collector-sec");
  CHECK(contract::object_name("-x").empty());
  CHECK(contract::connection_secret("orders_db") == "orders-db-connection");
  CHECK(contract::hook_copy("orders-db-connection") == "orders-db-connection-hook");
}

TEST_CASE("contract: build images never leave the registry's repository") {
  contract::Deployment d("shop", "dev", "aws");
  CHECK(d.build_image("./services/api", "api") == "registry.platc.invalid/shop/services/api:0.0.0-dev");
  CHECK(d.build_image("./Web App/", "web") == "registry.platc.invalid/shop/web-app:0.0.0-dev");
  // A path that would climb out of the repository, or start a new host, falls back to the name.
  CHECK(d.build_image("../../etc", "web") == "registry.platc.invalid/shop/web:0.0.0-dev");
  CHECK(d.build_image("/abs", "web") == "registry.platc.invalid/shop/web:0.0.0-dev");
  CHECK(d.build_image("./", "my_job") == "registry.platc.invalid/shop/my-job:0.0.0-dev");
}

namespace {

std::string text_at(const YamlNode& n, std::initializer_list<std::string_view> path) {
  const YamlNode* at = &n;
  for (auto key : path) {
    at = at->find(key);
    if (!at) return "";
  }
  return at->text();
}

// Every YamlNode under `n`, depth first.
template <typename F>
void walk(const YamlNode& n, F&& f) {
  f(n);
  for (const auto& [k, v] : n.entries()) walk(v, f);
  for (const auto& v : n.items()) walk(v, f);
}

}  // namespace

TEST_CASE("contract: the Kubernetes output of every example refers only to what it creates") {
  std::size_t graphs = 0, refs = 0;
  for (const auto& ex : testing::compile_examples()) {
    for (const auto& g : ex.model.graphs) {
      CAPTURE(ex.name);
      CAPTURE(g.environment);
      CAPTURE(g.target);
      ++graphs;
      contract::Deployment d(g);
      std::map<std::string, const YamlNode*> objects;  // kind/name
      std::map<std::string, std::set<std::string>> secret_keys, config_keys;
      std::vector<const YamlNode*> all;
      const auto files = kubernetes::generate(g, {});
      for (const auto& f : files)
        for (const auto& o : f.docs) {
          all.push_back(&o);
          std::string kind = text_at(o, {"kind"}), name = text_at(o, {"metadata", "name"});
          objects[kind + "/" + name] = &o;
          CHECK(text_at(o, {"metadata", "namespace"}) == (kind == "Namespace" ? "" : d.ns()));
          if (kind == "ExternalSecret") {
            CHECK(text_at(o, {"spec", "secretStoreRef", "name"}) == d.target().secret_store);
            std::string target = text_at(o, {"spec", "target", "name"});
            // With a template (an AWS database's password from RDS's own secret) the Secret holds
            // exactly the template's keys; the keys read are its inputs.
            const YamlNode* tmpl = o.find("spec")->find("target")->find("template");
            if (tmpl)
              for (const auto& [k, v] : tmpl->find("data")->entries()) secret_keys[target].insert(k);
            if (const YamlNode* from = o.find("spec")->find("dataFrom")) {
              REQUIRE(d.target().cloud == contract::Cloud::Aws);
              REQUIRE(tmpl);
              std::string id = name.substr(0, name.rfind("-connection"));
              for (const auto& n : g.nodes)
                if (n.kind == "database" && contract::object_name(n.id) == id)
                  CHECK(text_at(from->items().front(), {"find", "tags", contract::Deployment::kRdsSecretTag}) ==
                        d.rds_instance_arn(n));
            }
            static const YamlNode kNoData = YamlNode::seq();
            const YamlNode* data = o.find("spec")->find("data");
            for (const auto& item : (data ? data : &kNoData)->items()) {
              if (!tmpl) secret_keys[target].insert(text_at(item, {"secretKey"}));
              // A connection's entry is the one the cloud side writes, under the contract's name.
              if (name.ends_with("-connection") || name.ends_with("-connection-hook")) {
                std::string id = name.substr(0, name.rfind("-connection"));
                for (const auto& n : g.nodes)
                  if (contract::object_name(n.id) == id)
                    CHECK(text_at(item, {"remoteRef", "key"}) == d.connection_entry(n.id));
              }
            }
          }
          if (kind == "ConfigMap" && o.find("data"))
            for (const auto& [k, v] : o.find("data")->entries()) config_keys[name].insert(k);
          if (kind == "ServiceAccount" && d.target().identity == contract::IdentityBinding::AwsIrsa)
            CHECK(text_at(o, {"metadata", "annotations", "eks.amazonaws.com/role-arn"}) == d.identity_reference(name));
        }
      REQUIRE(objects.count("Namespace/" + d.ns()));
      for (const YamlNode* o : all) {
        std::string kind = text_at(*o, {"kind"});
        walk(*o, [&](const YamlNode& n) {
          if (const YamlNode* r = n.find("secretKeyRef")) {
            ++refs;
            std::string s = text_at(*r, {"name"}), k = text_at(*r, {"key"});
            CAPTURE(s);
            CHECK(secret_keys.count(s));
            CHECK(secret_keys[s].count(k));
          }
          if (const YamlNode* r = n.find("configMapKeyRef")) {
            ++refs;
            std::string c = text_at(*r, {"name"}), k = text_at(*r, {"key"});
            CAPTURE(c);
            CHECK(config_keys[c].count(k));
          }
          if (const YamlNode* sa = n.find("serviceAccountName")) {
            ++refs;
            CHECK(objects.count("ServiceAccount/" + sa->text()));
          }
        });
        if (kind == "Ingress") {
          // What the target's controller is told refers to what exists: the FrontendConfig of the
          // HTTPS redirect (GKE), the certificate the cloud side creates under the contract's name.
          std::string name = text_at(*o, {"metadata", "name"});
          if (const YamlNode* a = o->find("metadata")->find("annotations")) {
            if (const YamlNode* fc = a->find("networking.gke.io/v1beta1.FrontendConfig")) {
              ++refs;
              CHECK(objects.count("FrontendConfig/" + fc->text()));
            }
            for (const char* cert :
                 {"ingress.gcp.kubernetes.io/pre-shared-cert", "appgw.ingress.kubernetes.io/appgw-ssl-certificate"})
              if (const YamlNode* c = a->find(cert)) {
                // One certificate per host: the Ingress's one rule is for its host.
                const YamlNode& rule = o->find("spec")->find("rules")->items().front();
                CHECK(name == contract::ingress_name(rule.find("host")->text()));
                CHECK(c->text() == d.certificate(rule.find("host")->text()));
              }
            // GKE serves an Ingress by the class annotation only (no ingressClassName).
            if (d.target().ingress_class_annotation && a->find("kubernetes.io/ingress.class"))
              CHECK(!o->find("spec")->find("ingressClassName"));
          }
        }
        // Reloader rolls a workload on a change of exactly the Secrets its pods read, each one an
        // object of the output (an ExternalSecret's target or the env Secret).
        if (kind == "Deployment" || kind == "StatefulSet") {
          std::set<std::string> read, named;
          walk(*o, [&](const YamlNode& n) {
            if (const YamlNode* r = n.find("secretKeyRef")) read.insert(text_at(*r, {"name"}));
            if (const YamlNode* v = n.find("secret")) read.insert(text_at(*v, {"secretName"}));
          });
          std::string list = text_at(*o, {"metadata", "annotations", "secret.reloader.stakater.com/reload"});
          for (std::size_t b = 0, e; !list.empty() && b <= list.size(); b = e + 1) {
            e = std::min(list.find(',', b), list.size());
            named.insert(list.substr(b, e - b));
          }
          CAPTURE(text_at(*o, {"metadata", "name"}));
          CHECK(named == read);
          for (const auto& sn : named) {
            ++refs;
            CHECK((secret_keys.count(sn) || objects.count("Secret/" + sn)));
          }
        }
        if (kind == "Ingress")
          for (const auto& rule : o->find("spec")->find("rules")->items())
            for (const auto& p : rule.find("http")->find("paths")->items()) {
              ++refs;
              std::string svc = text_at(p, {"backend", "service", "name"});
              CHECK(objects.count("Service/" + svc));
            }
      }
    }
  }
  CHECK(graphs >= 10);
  CHECK(refs > 50);
}

TEST_CASE("contract: the providers' name rules") {
  using contract::Cloud;
  const auto* redis = contract::cloud_name_rule(Cloud::Aws, "cache");
  REQUIRE(redis);
  CHECK(contract::cloud_name_problem(*redis, std::string(40, 'a')).empty());
  CHECK(contract::cloud_name_problem(*redis, std::string(41, 'a')) == "41 characters, at most 40 fit");
  CHECK(contract::cloud_name_problem(*redis, "1shop") == "it must start with a letter");
  CHECK(contract::cloud_name_problem(*redis, "shop--x") == "it must not contain `--`");
  const auto* account = contract::cloud_name_rule(Cloud::Azure, "bucket");
  REQUIRE(account);
  CHECK(contract::cloud_name_problem(*account, "ab") == "2 characters, at least 3 are needed");
  CHECK(!contract::cloud_name_rule(Cloud::None, "cache"));
  CHECK(!contract::cloud_name_rule(Cloud::Aws, "service"));
  // Every data store kind has a rule on every cloud.
  for (const auto* t : contract::clouds())
    for (const char* kind : {"database", "cache", "topic", "queue", "bucket"}) {
      CAPTURE(kind);
      CHECK(contract::cloud_name_rule(t->cloud, kind));
    }
}

TEST_CASE("contract: workload identities are checked where the provider limits them") {
  const auto* role = contract::cloud_name_rule(contract::Cloud::Aws, "workload");
  REQUIRE(role);
  CHECK(role->max == 64);
  CHECK(contract::cloud_name_rule(contract::Cloud::Azure, "workload"));
  // GCP's account id is `<workload>-identity` (docs/backends.md): 6-30, a letter first.
  const auto* account = contract::cloud_name_rule(contract::Cloud::Gcp, "workload");
  REQUIRE(account);
  CHECK(account->min == 6);
  CHECK(account->max == 30);
  CHECK(contract::cloud_name_problem(*account, "a-very-long-workload-name-identity") != "");
  CHECK(contract::cloud_name_problem(*account, "ui-identity") == "");
}

TEST_CASE("contract: the region and a bucket's outputs, per target") {
  graph::Graph g;
  g.platform = "acme";
  g.environment = "prod";
  graph::Node p = resource("platform", "platform");
  graph::Attr region;
  region.value.kind = graph::ValueKind::Map;
  for (auto [cloud, r] : {std::pair{"aws", "eu-west-1"}, std::pair{"gcp", "europe-west1"}}) {
    graph::Value v;
    v.kind = graph::ValueKind::String;
    v.pieces.push_back({r, "", ""});
    region.value.entries.emplace_back(cloud, v);
  }
  p.attrs["region"] = region;
  g.nodes.push_back(p);
  graph::Node media = resource("bucket", "media_files");
  g.target = "aws";
  contract::Deployment aws(g);
  CHECK(aws.region() == "eu-west-1");
  CHECK(aws.environment_output("region") == "eu-west-1");
  CHECK(aws.known_output(media, "url") == "s3://acme-prod-media-files");
  CHECK(aws.known_output(media, "endpoint") == "https://s3.eu-west-1.amazonaws.com");
  CHECK(aws.known_output(media, "region") == "eu-west-1");
  CHECK_FALSE(aws.known_output(media, "id"));  // an ARN is known, an Azure resource id is not: deploy time
  g.target = "gcp";
  contract::Deployment gcp(g);
  CHECK(gcp.region() == "europe-west1");
  CHECK(gcp.known_output(media, "url") == "gs://acme-prod-media-files");
  CHECK(gcp.known_output(media, "endpoint") == "https://storage.googleapis.com");
  // A region map without the target: unknown, so the output stays a deploy-time one.
  g.target = "azure";
  contract::Deployment az(g);
  CHECK(az.region().empty());
  CHECK_FALSE(az.environment_output("region"));
  CHECK(az.known_output(media, "url") == "https://acmeprodmediafiles.blob.core.windows.net/media-files");
  CHECK(az.known_output(media, "endpoint") == "https://acmeprodmediafiles.blob.core.windows.net");
  // The public address: none for a private bucket, the cloud's own for a public one, the CDN's.
  CHECK_FALSE(aws.known_output(media, "public_url"));
  graph::Node avatars = resource("bucket", "avatars");
  graph::Attr on;
  on.value.kind = graph::ValueKind::Bool;
  on.value.b = true;
  avatars.attrs["public"] = on;
  CHECK(aws.known_output(avatars, "public_url") == "https://acme-prod-avatars.s3.eu-west-1.amazonaws.com");
  CHECK(gcp.known_output(avatars, "public_url") == "https://storage.googleapis.com/acme-prod-avatars");
  CHECK(az.known_output(avatars, "public_url") == "https://acmeprodavatars.blob.core.windows.net/avatars");
  graph::Node cdn = resource("bucket", "media");
  cdn.blocks = {"cdn"};
  graph::Attr host;
  host.value.kind = graph::ValueKind::String;
  host.value.pieces.push_back({"media.acme.io", "", ""});
  cdn.attrs["cdn.host"] = host;
  for (const auto* d : {&aws, &gcp, &az}) CHECK(d->known_output(cdn, "public_url") == "https://media.acme.io");
  // A database's client settings.
  graph::Node db = resource("database", "orders");
  CHECK(aws.known_output(db, "database") == "orders");
  CHECK(aws.known_output(db, "tls_mode") == "verify-full");
  CHECK(aws.known_output(db, "ca_file") == "/etc/platc/tls/orders/ca.pem");
  CHECK_FALSE(aws.known_output(db, "password"));
  CHECK_FALSE(aws.known_output(db, "host"));
}

TEST_CASE("contract: every known output a workload reads is the contract's value in its ConfigMap") {
  std::size_t checked = 0;
  for (const auto& ex : testing::compile_examples()) {
    for (const auto& g : ex.model.graphs) {
      CAPTURE(ex.name);
      CAPTURE(g.environment);
      CAPTURE(g.target);
      contract::Deployment d(g);
      std::map<std::string, const YamlNode*> config_maps;
      const auto files = kubernetes::generate(g, {});
      for (const auto& f : files)
        for (const auto& o : f.docs)
          if (text_at(o, {"kind"}) == "ConfigMap") config_maps[text_at(o, {"metadata", "name"})] = &o;
      for (const auto& n : g.nodes) {
        if (!n.has_trait("workload")) continue;
        for (const auto& [key, a] : n.entries("env")) {
          const graph::Value& v = a->value;
          if (v.kind != graph::ValueKind::Ref || v.text2.empty()) continue;
          std::optional<std::string> want;
          if (v.text == "env")
            want = d.environment_output(v.text2);
          else if (const graph::Node* t = g.find(v.text); t && !t->has_trait("workload"))
            want = d.known_output(*t, v.text2);
          if (!want) continue;
          CAPTURE(n.id);
          CAPTURE(key);
          auto cm = config_maps.find(contract::object_name(n.id) + "-env");
          REQUIRE(cm != config_maps.end());
          CHECK(text_at(*cm->second, {"data", key}) == *want);
          ++checked;
        }
      }
    }
  }
  CHECK(checked > 0);
}
