// compiler/support/names: the one set of name, label and tag rules shared by sema, the policies
// and the backends.
#include "compiler/support/names.h"

#include <doctest/doctest.h>

#include <string>

using namespace platc;

TEST_CASE("names: Kubernetes spelling and objects") {
  CHECK(k8s_spelling("Order_Worker") == "order-worker");
  CHECK(k8s_spelling("api") == "api");
  CHECK(kMaxObjectName == 52);
}

TEST_CASE("names: DNS labels") {
  CHECK(is_dns_label("api"));
  CHECK(is_dns_label("a-1"));
  CHECK_FALSE(is_dns_label(""));
  CHECK_FALSE(is_dns_label("-api"));
  CHECK_FALSE(is_dns_label("api-"));
  CHECK_FALSE(is_dns_label("Api"));
  CHECK_FALSE(is_dns_label("a_b"));
  CHECK(is_dns_label(std::string(63, 'a')));
  CHECK_FALSE(is_dns_label(std::string(64, 'a')));
  CHECK_FALSE(is_dns_label("abcdef", 5));
  // Host names compare without case.
  CHECK(is_host_label("Api"));
  CHECK_FALSE(is_host_label("-api"));
  CHECK_FALSE(is_host_label("a_b"));
  CHECK_FALSE(is_host_label(std::string(64, 'a')));
}

TEST_CASE("names: the problem with a name, and a better one") {
  CHECK(name_problem("api", 52).empty());
  CHECK(name_problem("ingest-", 52) == "`ingest-` does not start and end with a letter or digit");
  CHECK(name_problem(std::string(53, 'a'), 52) == "`" + std::string(53, 'a') + "` is 53 characters, at most 52 fit");
  CHECK(name_suggestion("-ingest-", 52) == "ingest");
  CHECK(name_suggestion("abc-def", 4) == "abc");
  CHECK(name_suggestion("---", 52).empty());
}

TEST_CASE("names: port names") {
  CHECK(port_name_problem("http").empty());
  CHECK(port_name_problem("grpc-web").empty());
  CHECK(port_name_problem("") == "more than 15 characters");
  CHECK(port_name_problem("a-very-long-port-name") == "more than 15 characters");
  CHECK(port_name_problem("Http") == "only lower-case letters, digits and `-`");
  CHECK(port_name_problem("8080") == "no letter");
  CHECK(port_name_problem("-http") == "a `-` at an end or twice in a row");
  CHECK(port_name_problem("a--b") == "a `-` at an end or twice in a row");
}

TEST_CASE("names: label keys and values") {
  CHECK(is_label_name("team"));
  CHECK(is_label_name("Cost_Center.v2"));
  CHECK_FALSE(is_label_name(""));
  CHECK_FALSE(is_label_name("-team"));
  CHECK_FALSE(is_label_name("team."));
  CHECK_FALSE(is_label_name("a b"));
  CHECK_FALSE(is_label_name(std::string(64, 'a')));
  CHECK(is_label_value(""));
  CHECK(is_label_value("data-team"));
  CHECK_FALSE(is_label_value("data team"));
  CHECK(is_qualified_key("app.kubernetes.io/name"));
  CHECK(is_qualified_key("team"));
  CHECK_FALSE(is_qualified_key("App.io/name"));
  CHECK_FALSE(is_qualified_key("a..b/name"));
  CHECK_FALSE(is_qualified_key("/name"));
  CHECK_FALSE(is_qualified_key("example.com/"));
  CHECK_FALSE(is_qualified_key(std::string(254, 'a') + "/name"));
}

TEST_CASE("names: sanitising a label") {
  CHECK(sanitize_label("data-team") == "data-team");
  CHECK(sanitize_label("Data Team!") == "Data-Team");
  CHECK(sanitize_label("_x_") == "x");
  CHECK(sanitize_label("!!!").empty());
  CHECK(sanitize_label(std::string(70, 'a')) == std::string(63, 'a'));
  CHECK(sanitize_label(std::string(62, 'a') + "-b") == std::string(62, 'a'));
  for (const char* s : {"1.4.2", "Data Team!", "x@y", "-a-"}) CHECK(is_label_value(sanitize_label(s)));
}

TEST_CASE("names: cloud tags") {
  CHECK(cloud_tag_problem("aws", "owner", "team a").empty());
  CHECK(cloud_tag_problem("aws", "aws:owner", "x") == "the `aws:` prefix is reserved by AWS");
  CHECK(cloud_tag_problem("aws", "owner", "a#b") == "AWS tags allow letters, digits, spaces and `_ . : / = + - @`");
  CHECK(cloud_tag_problem("aws", std::string(129, 'k'), "") == "AWS tag keys are at most 128 characters");
  CHECK(cloud_tag_problem("gcp", "owner", "team-a").empty());
  CHECK(cloud_tag_problem("gcp", "Owner", "x") ==
        "GCP label keys are 1 to 63 characters starting with a lower-case letter");
  CHECK(cloud_tag_problem("gcp", "owner", "Team") == "GCP labels allow only lower-case letters, digits, `_` and `-`");
  CHECK(cloud_tag_problem("gcp", "owner", "équipe").empty());  // international characters are allowed
  CHECK(cloud_tag_problem("azure", "a/b", "x") == "Azure tag names cannot contain `< > % & \\ ? /`");
  CHECK(cloud_tag_problem("azure", "owner", std::string(257, 'v')) == "Azure tag values are at most 256 characters");
  CHECK(cloud_tag_problem("other", "<>", "").empty());
  CHECK(cloud_tag_noun("aws") == "AWS tag");
  CHECK(cloud_tag_noun("gcp") == "GCP label");
  CHECK(cloud_tag_noun("azure") == "Azure tag");
}
