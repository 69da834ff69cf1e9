// compiler/support/image_ref: one reading of `[registry/]path[:tag][@digest]` for sema, the
// policies and the backends.
#include "compiler/support/image_ref.h"

#include <doctest/doctest.h>

using namespace platc;

TEST_CASE("image_ref: the parts as written") {
  ImageRef r = parse_image_ref("ghcr.io/acme/api:1.4.2");
  CHECK(r.registry == "ghcr.io");
  CHECK(r.path == "acme/api");
  CHECK(r.tag == "1.4.2");
  CHECK(r.has_tag);
  CHECK(r.digest.empty());
  CHECK_FALSE(r.has_digest);
  CHECK(r.repository() == "ghcr.io/acme/api");

  r = parse_image_ref("nginx");
  CHECK(r.registry.empty());
  CHECK(r.path == "nginx");
  CHECK(r.tag.empty());
  CHECK_FALSE(r.has_tag);
  CHECK(r.repository() == "nginx");

  r = parse_image_ref("acme/api@sha256:abc");
  CHECK(r.registry.empty());
  CHECK(r.path == "acme/api");
  CHECK(r.tag.empty());
  CHECK(r.digest == "sha256:abc");
  CHECK(r.has_digest);

  r = parse_image_ref("nginx:1.27@sha256:abc");
  CHECK(r.path == "nginx");
  CHECK(r.tag == "1.27");
  CHECK(r.digest == "sha256:abc");
}

TEST_CASE("image_ref: a registry is a host, not the first path component") {
  // A port's colon is not a tag's: the tag is after the last slash.
  ImageRef r = parse_image_ref("localhost:5000/api");
  CHECK(r.registry == "localhost:5000");
  CHECK(r.path == "api");
  CHECK_FALSE(r.has_tag);
  r = parse_image_ref("localhost/api:2");
  CHECK(r.registry == "localhost");
  CHECK(r.tag == "2");
  r = parse_image_ref("123456789012.dkr.ecr.us-east-1.amazonaws.com/shop/api:1");
  CHECK(r.registry == "123456789012.dkr.ecr.us-east-1.amazonaws.com");
  CHECK(r.path == "shop/api");
  // Docker reads an upper-case first component as a host too.
  r = parse_image_ref("Acme/api");
  CHECK(r.registry == "Acme");
  CHECK(r.path == "api");
  r = parse_image_ref("acme/api");
  CHECK(r.registry.empty());
  CHECK(r.path == "acme/api");
}

TEST_CASE("image_ref: Docker Hub defaulting is separate") {
  ImageRef r = parse_image_ref("nginx:1.27");
  CHECK(r.registry.empty());
  CHECK(r.pull_registry() == "docker.io");
  CHECK(r.pull_path() == "library/nginx");
  r = parse_image_ref("acme/api:1");
  CHECK(r.pull_registry() == "docker.io");
  CHECK(r.pull_path() == "acme/api");
  r = parse_image_ref("ghcr.io/acme/api");
  CHECK(r.pull_registry() == "ghcr.io");
  CHECK(r.pull_path() == "acme/api");
  r = parse_image_ref("ghcr.io/api");
  CHECK(r.pull_path() == "api");
}

TEST_CASE("image_ref: an empty tag or digest is still written") {
  ImageRef r = parse_image_ref("nginx:");
  CHECK(r.has_tag);
  CHECK(r.tag.empty());
  CHECK(r.repository() == "nginx");
  r = parse_image_ref("nginx@");
  CHECK(r.has_digest);
  CHECK(r.digest.empty());
}

TEST_CASE("image_ref: the problem in words") {
  CHECK(image_ref_problem("nginx").empty());
  CHECK(image_ref_problem("nginx:1.27").empty());
  CHECK(image_ref_problem("ghcr.io/shop/api@sha256:abc123").empty());
  CHECK(image_ref_problem("localhost:5000/app:1").empty());
  CHECK(image_ref_problem("nginx: 1.27") == "an image reference has no spaces");
  CHECK(image_ref_problem("ghcr.io/Shop/API:1") == "the repository part of an image reference is lower case");
  CHECK(image_ref_problem("nginx:1.27.2").empty());
  CHECK(image_ref_problem("ghcr.io/acme/api@sha256:abc").empty());
  CHECK(image_ref_problem("localhost:5000/api").empty());
  CHECK(image_ref_problem("Acme/api:1").empty());  // the host's case is not the repository's
  CHECK(image_ref_problem("") == "an image reference cannot be empty");
  CHECK(image_ref_problem("ghcr.io/acme/my api:1") == "an image reference has no spaces");
  CHECK(image_ref_problem("nginx\t") == "an image reference has no spaces");
  CHECK(image_ref_problem("nginx:") == "the tag after `:` is empty");
  CHECK(image_ref_problem("ghcr.io/Acme/api") == "the repository part of an image reference is lower case");
  CHECK(image_ref_problem("Nginx") == "the repository part of an image reference is lower case");
  CHECK(image_ref_problem("ghcr.io/") == "the image name is missing");
  CHECK(image_ref_problem("ghcr.io/acme/") == "the image name is missing");
  CHECK(image_ref_problem(":1.0") == "the image name is missing");
  CHECK(image_ref_problem("@sha256:abc") == "the image name is missing");
}
