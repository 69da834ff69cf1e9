// Identities, least privilege from the graph's edges: one IRSA role per workload
// (`<platform>-<env>-<workload>`, the ARN its ServiceAccount is annotated with), trusted by exactly
// that ServiceAccount, allowed exactly the buckets, queues and topics it references; the External
// Secrets Operator's role, allowed to read exactly the entries secrets.cpp creates and the
// master-password secrets RDS manages for the environment's databases; ExternalDNS's
// role on the environment's zones; the AWS Load Balancer Controller's role with its maintainers'
// policy; the pipeline's deploy role through GitHub's OIDC provider.
// ARNs are spelled with var.account_id so the plan shows every policy whole.
#include "backends/terraform_aws/families.h"
#include "backends/terraform_aws/readme.h"

namespace platc::terraform_aws {

using graph::Node;

namespace {

// The platform key, named by its alias so the policy is known at plan time (the key's ARN is not):
// kms:ResourceAliases limits `key/*` to the one key with that alias.
Expr kms_use(const Context& c, std::vector<std::string> actions) {
  return Expr::object()
      .set("Sid", "PlatformKey")
      .set("Effect", "Allow")
      .set("Action", Expr::strings(actions))
      .set("Resource", arn(c, "kms", "key/*"))
      .set("Condition", Expr::object().set("ForAnyValue:StringEquals",
                                           Expr::object().set("kms:ResourceAliases", "alias/" + c.prefix)));
}

// What a workload's references allow it, one statement per resource.
std::vector<Expr> grants(const Context& c, const Node& w) {
  std::vector<Expr> st;
  for (const Node* b : c.targets_of(w, "bucket")) {
    std::string arn = "arn:aws:s3:::" + c.cloud_name(*b);
    st.push_back(statement("List" + Context::label(b->id), {"s3:ListBucket"}, Expr::str(arn)));
    st.push_back(statement("Objects" + Context::label(b->id), {"s3:GetObject", "s3:PutObject", "s3:DeleteObject"},
                           Expr::str(arn + "/*")));
  }
  for (const Node* q : c.targets_of(w, "queue")) {
    std::string name = c.cloud_name(*q);
    st.push_back(statement("Queue" + Context::label(q->id),
                           {"sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility",
                            "sqs:GetQueueAttributes", "sqs:GetQueueUrl"},
                           arn(c, "sqs", name)));
  }
  auto topics = c.targets_of(w, "topic");
  if (!topics.empty()) {
    st.push_back(statement("KafkaCluster", {"kafka-cluster:Connect", "kafka-cluster:DescribeCluster"},
                           arn(c, "kafka", "cluster/" + c.prefix + "/*")));
    Expr res = Expr::tuple();
    for (const Node* t : topics) res.push(arn(c, "kafka", "topic/" + c.prefix + "/*/" + t->id));
    st.push_back(statement("KafkaTopics",
                           {"kafka-cluster:DescribeTopic", "kafka-cluster:CreateTopic", "kafka-cluster:ReadData",
                            "kafka-cluster:WriteData"},
                           std::move(res)));
    st.push_back(statement("KafkaGroups", {"kafka-cluster:AlterGroup", "kafka-cluster:DescribeGroup"},
                           arn(c, "kafka", "group/" + c.prefix + "/*/*")));
  }
  if (!st.empty()) st.push_back(kms_use(c, {"kms:Decrypt", "kms:GenerateDataKey"}));
  return st;
}

void irsa_role(hcl::File& f, const std::string& label, const std::string& name, const std::string& ns,
               const std::string& sa, std::vector<Expr> statements) {
  hcl::Block& r = f.block("resource", {"aws_iam_role", label});
  r.body.attr("name", name);
  r.body.attr("assume_role_policy", irsa_trust(ns, sa));
  r.body.attr("tags", Expr::object().set("Name", name).set("kubernetes-service-account", ns + "/" + sa));
  if (statements.empty()) return;
  hcl::Block& p = f.block("resource", {"aws_iam_role_policy", label});
  p.body.attr("name", name);
  p.body.attr("role", Expr::ref("aws_iam_role." + label + ".id"));
  p.body.attr("policy", policy_document(std::move(statements)));
}

// The role the pipeline plans this module with on a pull request. A pull request's jobs run the
// workflow as the pull request changed it and are bound to no GitHub environment, so nothing but
// this role's permissions limits what they do with it: AWS's ReadOnlyAccess (every Describe, Get
// and List a refresh needs), the state's object of this environment, and explicit denies of the
// reads that return secret values or data, whatever ReadOnlyAccess grants now or later.
void github_plan(Context& c, hcl::File& f) {
  std::string name = c.d.plan_identity();
  Expr bucket = c.var({"terraform_state_bucket", "string",
                       "The Terraform state bucket (the backend's `bucket`): the plan role reads this environment's "
                       "state from it.",
                       std::nullopt, std::nullopt, false});
  Expr gh_arn = arn(c, "iam", "oidc-provider/token.actions.githubusercontent.com", false);
  hcl::Block& r = f.block("resource", {"aws_iam_role", "plan"});
  r.body.attr("name", name);
  // Exactly the pull-request jobs of this repository (never an environment's subject).
  r.body.attr("assume_role_policy",
              web_identity_trust(gh_arn, Expr::object()
                                             .set("token.actions.githubusercontent.com:aud", "sts.amazonaws.com")
                                             .set("token.actions.githubusercontent.com:sub",
                                                  Expr::tmpl({Expr::str("repo:"), Expr::ref("var.github_repository"),
                                                              Expr::str(":pull_request")}))));
  r.body.attr("max_session_duration", Expr::number(3600));
  r.body.attr("tags", Expr::object().set("Name", name));
  hcl::Block& a = f.block("resource", {"aws_iam_role_policy_attachment", "plan"});
  a.body.attr("role", Expr::ref("aws_iam_role.plan.name"));
  a.body.attr("policy_arn", "arn:aws:iam::aws:policy/ReadOnlyAccess");

  // The state: the backend lists the bucket (workspaces) and reads this environment's object. The
  // plan runs with -lock=false, so it never writes the lock file beside it (S3 native locking
  // writes `<key>.tflock`, a write this role must not have).
  std::string key = c.g.platform + "/" + c.g.environment + "/terraform.tfstate";
  Expr bucket_arn = Expr::tmpl({Expr::str("arn:aws:s3:::"), bucket});
  std::vector<Expr> st;
  st.push_back(statement("StateList", {"s3:ListBucket"}, bucket_arn));
  Expr state_arn = Expr::tmpl({Expr::str("arn:aws:s3:::"), bucket, Expr::str("/" + key)});
  st.push_back(statement("StateRead", {"s3:GetObject"}, state_arn));
  st.push_back(Expr::object()
                   .set("Sid", "NoSecretValues")
                   .set("Effect", "Deny")
                   .set("Action", Expr::strings({"secretsmanager:GetSecretValue", "secretsmanager:BatchGetSecretValue",
                                                 "ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath",
                                                 "ssm:GetParameterHistory"}))
                   .set("Resource", "*"));
  // ReadOnlyAccess also reads data: every bucket's objects (other environments' states, the
  // platform's own buckets) and queues' messages (receiving one hides it from its consumer). A plan
  // reads no object but the state and no message.
  st.push_back(Expr::object()
                   .set("Sid", "NoDataButTheState")
                   .set("Effect", "Deny")
                   .set("Action", Expr::strings({"s3:GetObject", "s3:GetObjectVersion"}))
                   .set("NotResource", state_arn));
  st.push_back(Expr::object()
                   .set("Sid", "NoMessages")
                   .set("Effect", "Deny")
                   .set("Action", Expr::strings({"sqs:ReceiveMessage"}))
                   .set("Resource", "*"));
  hcl::Block& p = f.block("resource", {"aws_iam_role_policy", "plan"});
  p.body.attr("name", name);
  p.body.attr("role", Expr::ref("aws_iam_role.plan.id"));
  p.body.attr("policy", policy_document(std::move(st)));
  c.file("outputs.tf").block("output", {"plan_role_arn"}).body.attr("value", Expr::ref("aws_iam_role.plan.arn"));
}

void github_deploy(Context& c, hcl::File& f) {
  Expr repo = c.var({"github_repository", "string",
                     "The GitHub repository (`owner/name`) whose workflow deploys this environment.", std::nullopt,
                     Expr::str("example/" + contract::object_name(c.g.platform)), false});
  (void)repo;
  c.var({"create_github_oidc_provider", "bool",
         "Create GitHub's OIDC provider; false when the account has it already (one per account).", std::nullopt,
         Expr::boolean(true), false});
  hcl::Block& gh = f.block("resource", {"aws_iam_openid_connect_provider", "github"});
  gh.body.attr("count", Expr::raw("var.create_github_oidc_provider ? 1 : 0"));
  gh.body.attr("url", "https://token.actions.githubusercontent.com");
  gh.body.attr("client_id_list", Expr::strings({"sts.amazonaws.com"}));
  gh.body.attr("tags", Expr::object().set("Name", "github-actions"));

  // Both pipeline roles trust exactly the jobs of this repository bound to this environment's
  // GitHub environment (the OIDC subject), so its protection rules gate every use of them.
  auto github_trust = [&] {
    Expr gh_arn = arn(c, "iam", "oidc-provider/token.actions.githubusercontent.com", false);
    return web_identity_trust(gh_arn, Expr::object()
                                          .set("token.actions.githubusercontent.com:aud", "sts.amazonaws.com")
                                          .set("token.actions.githubusercontent.com:sub",
                                               Expr::tmpl({Expr::str("repo:"), Expr::ref("var.github_repository"),
                                                           Expr::str(":environment:" + c.d.github_environment())})));
  };
  std::string name = deploy_role_name(c);
  hcl::Block& r = f.block("resource", {"aws_iam_role", "deploy"});
  r.body.attr("name", name);
  r.body.attr("assume_role_policy", github_trust());
  r.body.attr("tags", Expr::object().set("Name", name));

  // The role the pipeline applies this module with. Applying creates IAM roles, the cluster and
  // the network, so it administers the account; it exists once a person has applied the module
  // the first time (terraform/aws/README.md), and from then on only the pipeline uses it.
  std::string tf_name = terraform_role_name(c);
  hcl::Block& tr = f.block("resource", {"aws_iam_role", "terraform"});
  tr.body.attr("name", tf_name);
  tr.body.attr("assume_role_policy", github_trust());
  tr.body.attr("tags", Expr::object().set("Name", tf_name));
  hcl::Block& ta = f.block("resource", {"aws_iam_role_policy_attachment", "terraform"});
  ta.body.attr("role", Expr::ref("aws_iam_role.terraform.name"));
  ta.body.attr("policy_arn", "arn:aws:iam::aws:policy/AdministratorAccess");

  std::vector<Expr> st;
  Expr repos = Expr::tuple();
  std::set<std::string> seen;
  for (const auto& [id, repo] : c.repositories())
    if (seen.insert(repo).second) repos.push(arn(c, "ecr", "repository/" + repo));
  if (!seen.empty()) {
    // GetAuthorizationToken has no resource-level permission: AWS allows only "*" for it.
    st.push_back(statement("EcrLogin", {"ecr:GetAuthorizationToken"}, Expr::str("*")));
    st.push_back(statement("EcrPush",
                           {"ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:CompleteLayerUpload",
                            "ecr:InitiateLayerUpload", "ecr:PutImage", "ecr:UploadLayerPart"},
                           std::move(repos)));
    st.push_back(kms_use(c, {"kms:Decrypt", "kms:GenerateDataKey"}));
  }
  st.push_back(statement("Cluster", {"eks:DescribeCluster"}, arn(c, "eks", "cluster/" + cluster_name(c))));
  hcl::Block& p = f.block("resource", {"aws_iam_role_policy", "deploy"});
  p.body.attr("name", name);
  p.body.attr("role", Expr::ref("aws_iam_role.deploy.id"));
  p.body.attr("policy", policy_document(std::move(st)));

  // The deploy role administers the environment's namespace in the cluster, nothing else.
  hcl::Block& ae = f.block("resource", {"aws_eks_access_entry", "deploy"});
  ae.body.attr("cluster_name", Expr::ref(std::string(kCluster) + ".name"));
  ae.body.attr("principal_arn", Expr::ref("aws_iam_role.deploy.arn"));
  ae.body.attr("tags", Expr::object().set("Name", name));
  hcl::Block& ap = f.block("resource", {"aws_eks_access_policy_association", "deploy"});
  ap.body.attr("cluster_name", Expr::ref(std::string(kCluster) + ".name"));
  ap.body.attr("principal_arn", Expr::ref("aws_iam_role.deploy.arn"));
  ap.body.attr("policy_arn", "arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminPolicy");
  hcl::Block& scope = ap.body.block("access_scope");
  scope.body.attr("type", "namespace");
  scope.body.attr("namespaces", Expr::strings({c.ns}));
  ap.body.attr("depends_on", Expr::tuple({Expr::ref("aws_eks_access_entry.deploy")}));

  if (contract::plans_pull_requests(c.g)) github_plan(c, f);

  hcl::File& o = c.file("outputs.tf");
  o.block("output", {"deploy_role_arn"}).body.attr("value", Expr::ref("aws_iam_role.deploy.arn"));
  o.block("output", {"terraform_role_arn"}).body.attr("value", Expr::ref("aws_iam_role.terraform.arn"));
}

// The AWS Load Balancer Controller (kube-system/aws-load-balancer-controller, as the README installs
// it) serves every Ingress and `load_balancer` Service, so without its role nothing is reachable. Its
// permissions are the policy its maintainers publish for the pinned release (kLbControllerPolicyUrl),
// passed in as a variable rather than copied into platc: it changes with each release, and a stale
// copy fails only when the controller first needs the missing action.
void load_balancer_controller(Context& c, hcl::File& f) {
  std::string name = lb_controller_role_name(c);
  irsa_role(f, "load_balancer_controller", name, "kube-system", "aws-load-balancer-controller", {});
  hcl::Block& p = f.block("resource", {"aws_iam_policy", "load_balancer_controller"});
  p.body.attr("name", name);
  p.body.attr("description",
              std::string("The AWS Load Balancer Controller's own policy of v2.13.3, ") + kLbControllerPolicyUrl);
  p.body.attr("policy", Expr::ref("var.load_balancer_controller_policy"));
  p.body.attr("tags", Expr::object().set("Name", name));
  hcl::Block& a = f.block("resource", {"aws_iam_role_policy_attachment", "load_balancer_controller"});
  a.body.attr("role", Expr::ref("aws_iam_role.load_balancer_controller.name"));
  a.body.attr("policy_arn", Expr::ref("aws_iam_policy.load_balancer_controller.arn"));
  c.var({"load_balancer_controller_policy", "string",
         std::string("The AWS Load Balancer Controller's IAM policy (JSON) of the release the README installs: ") +
             kLbControllerPolicyUrl,
         std::nullopt, std::nullopt, false});
  c.file("outputs.tf")
      .block("output", {"load_balancer_controller_role_arn"})
      .body.attr("value", Expr::ref("aws_iam_role.load_balancer_controller.arn"));
}

}  // namespace

void identity_files(Context& c) {
  hcl::File& f = c.file("identity.tf");
  Expr arns = Expr::object();
  for (const Node* w : c.workloads()) {
    c.note_source(w);
    std::string k8s = contract::object_name(w->id);
    std::string label = "workload_" + Context::label(w->id);
    irsa_role(f, label, c.d.identity(k8s), c.ns, k8s, grants(c, *w));
    arns.set(k8s, Expr::ref("aws_iam_role." + label + ".arn"));
  }
  // The External Secrets Operator (Helm chart defaults: namespace and ServiceAccount
  // `external-secrets`) reads exactly the entries of this environment.
  Expr entries = Expr::tuple();
  for (const auto& e : c.secret_entries) entries.push(arn(c, "secretsmanager", "secret:" + e + "-??????"));
  std::vector<Expr> eso;
  if (!c.secret_entries.empty()) {
    eso.push_back(statement(
        "ReadEntries",
        {"secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret", "secretsmanager:ListSecretVersionIds"},
        std::move(entries)));
    // RDS's own secrets of the environment's databases (`rds!db-<uuid>`, the master passwords it
    // rotates): the ExternalSecrets find them by their tag, which takes ListSecrets and
    // BatchGetSecretValue (AWS allows only "*" for both: they return nothing the role may not
    // read), and reads each through GetSecretValue, allowed only where the tag names one of them.
    Expr instances = Expr::tuple();
    for (const Node* db : c.of_kind("database")) instances.push(arn(c, "rds", "db:" + c.cloud_name(*db)));
    if (!c.of_kind("database").empty()) {
      eso.push_back(statement("FindRdsSecrets", {"secretsmanager:ListSecrets", "secretsmanager:BatchGetSecretValue"},
                              Expr::str("*")));
      eso.push_back(
          statement("ReadRdsSecrets", {"secretsmanager:GetSecretValue"}, arn(c, "secretsmanager", "secret:rds!db-*"))
              .set("Condition",
                   Expr::object().set("StringEquals",
                                      Expr::object().set("secretsmanager:ResourceTag/" +
                                                             std::string(contract::Deployment::kRdsSecretTag),
                                                         std::move(instances)))));
    }
    eso.push_back(kms_use(c, {"kms:Decrypt"}));
  }
  irsa_role(f, "external_secrets", eso_role_name(c), "external-secrets", "external-secrets", std::move(eso));
  hcl::File& o = c.file("outputs.tf");
  // The role each ServiceAccount's `eks.amazonaws.com/role-arn` annotation names, by ServiceAccount:
  // the pipeline sets the annotations from it, with the account the roles were created in.
  if (!c.workloads().empty()) o.block("output", {std::string(c.d.target().identity_output)}).body.attr("value", arns);
  o.block("output", {"external_secrets_role_arn"}).body.attr("value", Expr::ref("aws_iam_role.external_secrets.arn"));
  load_balancer_controller(c, f);
  github_deploy(c, f);
}

}  // namespace platc::terraform_aws
