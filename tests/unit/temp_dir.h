// A fresh directory under the system temp dir for one test, removed with everything in it at the
// end of the test. Its path is canonical (symlinks such as /tmp -> /private/tmp resolved), so paths
// built from it compare equal to the ones the loader and the output tree report.
#pragma once

#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>

namespace platc::testing {

class TempDir {
 public:
  explicit TempDir(const char* prefix = "platc-test") {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() / fmt::format("{}-{}-{:08x}", prefix, getpid(), rd());
    std::filesystem::create_directories(path_);
    path_ = std::filesystem::canonical(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }

  // Writes CONTENT to the file REL below the directory (creating parents) and returns its path.
  std::filesystem::path write(const std::string& rel, const std::string& content) const {
    std::filesystem::path p = path_ / rel;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << content;
    return p;
  }

 private:
  std::filesystem::path path_;
};

}  // namespace platc::testing
