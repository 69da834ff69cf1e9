// The output tree: every file a build produces, written all at once or not at all.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

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

// Whether `out` may be replaced by a build, asked before any work is done: not `.`, `..`, `/` or
// anything that normalises to them, not an existing file, not a non-empty directory platc did not
// write, and not a directory that is or contains the working directory or any of `keep` (the
// platform directory, its source files). Symlinks are resolved. Returns why not.
std::optional<std::string> check_output_dir(const std::filesystem::path& out,
                                            const std::vector<std::filesystem::path>& keep);

// Writes `tree` into a temporary sibling of `out` and swaps it into place only when every file
// was written: `out` is never absent, and on any failure or interruption (SIGINT, SIGTERM,
// SIGHUP) it is left as it was and the temporary tree is removed. Removes the temporaries that
// earlier platc builds of `out` left behind when they were killed. Refuses to replace a non-empty
// directory that platc did not write (no marker file). Returns an error message on failure, with
// the operating system's reason.
std::optional<std::string> write_atomically(const OutputTree& tree, const std::filesystem::path& out);

}  // namespace platc::emit
