// Container image references, `[registry/]path[:tag][@digest]`, read in one place: sema checks
// them (E0426), the policies read their tag and registry (P0401, P0402), and the backends split
// them into Helm values and take the version label from the tag.
#pragma once

#include <string>
#include <string_view>

namespace platc {

// The parts of an image reference as written; nothing is added or normalised.
struct ImageRef {
  // The first component when it names a registry host: it has a `.` or a `:` (a port), is
  // `localhost`, or has an upper-case letter (Docker's rule). Empty when there is none, which
  // means Docker Hub.
  std::string registry;
  std::string path;    // the repository path after the registry, such as `acme/api`
  std::string tag;     // after the last `:` of the last component; empty when there is none
  std::string digest;  // after the `@`, such as `sha256:…`; empty when there is none
  bool has_tag = false;     // a `:` was written, even with nothing after it
  bool has_digest = false;  // an `@` was written, even with nothing after it

  // `[registry/]path`: the reference without its tag and digest, as written.
  std::string repository() const;
  // Where the image is pulled from: the registry, or `docker.io` when none is written.
  std::string pull_registry() const;
  // The path on that registry: Docker Hub's official images get their `library/` prefix.
  std::string pull_path() const;
};

// Splits any text; whether it is a valid reference is image_ref_problem's question.
ImageRef parse_image_ref(std::string_view text);

// Why `text` is not a valid image reference, in words; empty when it is one.
std::string image_ref_problem(std::string_view text);

}  // namespace platc
