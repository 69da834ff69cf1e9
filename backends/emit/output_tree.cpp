#include "backends/emit/output_tree.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <random>
#include <system_error>

namespace platc::emit {
namespace fs = std::filesystem;

std::optional<std::string> OutputTree::add(const std::string& relative, std::string content) {
  if (relative.empty() || relative.front() == '/' || relative.find('\\') != std::string::npos ||
      relative.find('\0') != std::string::npos)
    return fmt::format("unsafe output path `{}`", relative);
  std::size_t start = 0;
  while (start <= relative.size()) {
    std::size_t slash = relative.find('/', start);
    std::string part = relative.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    if (part.empty() || part == "." || part == "..") return fmt::format("unsafe output path `{}`", relative);
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  if (relative == kMarkerFile) return fmt::format("reserved output path `{}`", relative);
  // Two artifacts on one path: one would silently replace the other.
  if (files_.count(relative)) return fmt::format("`{}` is already written by another artifact", relative);
  files_[relative] = std::move(content);
  return std::nullopt;
}

namespace {

std::string unique_suffix() {
  // Not for security: only to avoid clashing with a concurrent build's temporary directory.
  std::random_device rd;
  return fmt::format("{}-{:08x}", static_cast<long>(getpid()), rd());
}

bool write_file(const fs::path& p, const std::string& content) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  if (!out) return false;
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  out.close();
  return static_cast<bool>(out);
}

}  // namespace

std::optional<std::string> write_atomically(const OutputTree& tree, const fs::path& out_in) {
  std::error_code ec;
  fs::path out = out_in.lexically_normal();
  if (out.filename().empty()) out = out.parent_path();
  fs::path parent = out.parent_path().empty() ? fs::path(".") : out.parent_path();

  if (fs::exists(out, ec)) {
    if (!fs::is_directory(out, ec)) return fmt::format("`{}` exists and is not a directory", out.string());
    bool empty = fs::is_empty(out, ec);
    if (!empty && !fs::exists(out / kMarkerFile, ec))
      return fmt::format("`{}` is not empty and was not written by platc; refusing to replace it", out.string());
  }
  fs::create_directories(parent, ec);
  if (ec) return fmt::format("cannot create `{}`: {}", parent.string(), ec.message());

  fs::path tmp = parent / fmt::format(".{}.tmp-{}", out.filename().string(), unique_suffix());
  auto fail = [&](std::string why) -> std::optional<std::string> {
    std::error_code ignore;
    fs::remove_all(tmp, ignore);
    return why;
  };
  fs::create_directory(tmp, ec);
  if (ec) return fail(fmt::format("cannot create `{}`: {}", tmp.string(), ec.message()));
  if (!write_file(tmp / kMarkerFile, "This directory is written by platc build and replaced as a whole.\n"))
    return fail(fmt::format("cannot write into `{}`", tmp.string()));
  for (const auto& [rel, content] : tree.files()) {
    fs::path p = tmp / rel;
    fs::create_directories(p.parent_path(), ec);
    if (ec || !write_file(p, content)) return fail(fmt::format("cannot write `{}`", (out / rel).string()));
  }

  // Swap: the old tree moves aside, the new one moves in, then the old one goes.
  fs::path old;
  if (fs::exists(out, ec)) {
    old = parent / fmt::format(".{}.old-{}", out.filename().string(), unique_suffix());
    fs::rename(out, old, ec);
    if (ec) return fail(fmt::format("cannot move `{}` aside: {}", out.string(), ec.message()));
  }
  fs::rename(tmp, out, ec);
  if (ec) {
    std::error_code ignore;
    if (!old.empty()) fs::rename(old, out, ignore);
    return fail(fmt::format("cannot move the new output into `{}`: {}", out.string(), ec.message()));
  }
  if (!old.empty()) fs::remove_all(old, ec);
  return std::nullopt;
}

}  // namespace platc::emit
