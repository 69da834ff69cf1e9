// The output tree: every file a build produces, written all at once or not at all.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>

namespace platc::emit {

class OutputTree {
 public:
  // `relative` uses `/`, has no `..`, no empty or absolute parts: a name taken from the input
  // can never reach outside the output directory. Returns an error message when it is unsafe.
  std::optional<std::string> add(const std::string& relative, std::string content);
  const std::map<std::string, std::string>& files() const { return files_; }

 private:
  std::map<std::string, std::string> files_;  // sorted: the write order is deterministic
};

// The marker file that says a directory was written by platc and may be replaced by it.
inline constexpr const char* kMarkerFile = ".platc-output";

// Writes `tree` into a temporary sibling of `out` and renames it into place only when every file
// was written. On any failure `out` is left as it was. Refuses to replace a non-empty directory
// that platc did not write (no marker file). Returns an error message on failure.
std::optional<std::string> write_atomically(const OutputTree& tree, const std::filesystem::path& out);

}  // namespace platc::emit
