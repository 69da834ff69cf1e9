// Reading one source file safely: the single way platc reads a `.plat` file (the loader, imports,
// `platc fmt`). platc runs on untrusted pull requests in pre-commit hooks and CI, so a file is
// read only when it is a regular file inside the platform directory once every symlink is
// resolved, never by following a FIFO or device into a blocking read, and never beyond the size
// limit. What is refused is named, never read, so its content cannot reach a diagnostic.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

namespace platc::driver {

struct SourceRead {
  enum class Status { Ok, TooLarge, Outside, Unreadable };
  Status status = Status::Ok;
  std::string text;         // Ok: the whole file
  std::string error;        // Unreadable: why, in words ("not a regular file (a FIFO)", errno text)
  std::uintmax_t size = 0;  // TooLarge: the file's size
};

// `root` is the platform directory: the file, symlinks resolved, must be inside it.
SourceRead read_source(const std::filesystem::path& path, const std::filesystem::path& root, std::uintmax_t max_bytes);

}  // namespace platc::driver
