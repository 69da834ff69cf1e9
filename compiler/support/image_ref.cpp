#include "compiler/support/image_ref.h"

#include "compiler/support/ascii.h"

namespace platc {
namespace {

bool has_upper(std::string_view s) {
  for (char c : s)
    if (ascii::is_upper(c)) return true;
  return false;
}

}  // namespace

std::string ImageRef::repository() const {
  return registry.empty() ? path : registry + "/" + path;
}

std::string ImageRef::pull_registry() const {
  return registry.empty() ? "docker.io" : registry;
}

std::string ImageRef::pull_path() const {
  if (registry.empty() && path.find('/') == std::string::npos) return "library/" + path;
  return path;
}

ImageRef parse_image_ref(std::string_view text) {
  ImageRef r;
  std::string_view name = text;
  if (auto at = name.find('@'); at != std::string_view::npos) {
    r.has_digest = true;
    r.digest = name.substr(at + 1);
    name = name.substr(0, at);
  }
  // The tag's colon is the last one after the last slash: `localhost:5000/api` has no tag.
  auto slash = name.rfind('/');
  auto colon = name.rfind(':');
  if (colon != std::string_view::npos && (slash == std::string_view::npos || colon > slash)) {
    r.has_tag = true;
    r.tag = name.substr(colon + 1);
    name = name.substr(0, colon);
  }
  auto first = name.find('/');
  std::string_view head = first == std::string_view::npos ? std::string_view{} : name.substr(0, first);
  bool host = !head.empty() && (head.find_first_of(".:") != std::string_view::npos || head == "localhost" ||
                                has_upper(head));
  if (host) {
    r.registry = head;
    r.path = name.substr(first + 1);
  } else {
    r.path = name;
  }
  return r;
}

std::string image_ref_problem(std::string_view text) {
  if (text.empty()) return "an image reference cannot be empty";
  for (char c : text)
    if (ascii::is_space(c)) return "an image reference has no spaces";
  ImageRef r = parse_image_ref(text);
  if (r.has_tag && r.tag.empty()) return "the tag after `:` is empty";
  if (has_upper(r.path)) return "the repository part of an image reference is lower case";
  if (r.path.empty() || r.path.back() == '/') return "the image name is missing";
  return "";
}

}  // namespace platc
