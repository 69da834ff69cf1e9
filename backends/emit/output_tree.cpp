#include "backends/emit/output_tree.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <system_error>

#include "backends/emit/interrupt.h"

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
  // The tree holds every file until the atomic write, so each keeps only its bytes: a string built
  // by appending has up to twice its size reserved (a third of a large build's peak memory).
  if (content.capacity() > content.size() + content.size() / 8) content.shrink_to_fit();
  files_[relative] = std::move(content);
  return std::nullopt;
}

namespace {

std::string unique_suffix() {
  // Not for security: only to avoid clashing with a concurrent build's temporary directory. The
  // pid comes first: a later build reads it to tell a dead build's leftovers from a live one's.
  std::random_device rd;
  return fmt::format("{}-{:08x}", static_cast<long>(getpid()), rd());
}

// Writes one new file; returns the operating system's reason on failure (ENOSPC, EACCES, EROFS …).
std::optional<std::string> write_file(const fs::path& p, const std::string& content) {
  int fd = ::open(p.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0666);
  if (fd < 0) return std::strerror(errno);
  std::size_t done = 0;
  while (done < content.size()) {
    ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      int err = n < 0 ? errno : EIO;
      ::close(fd);
      return std::strerror(err);
    }
    done += static_cast<std::size_t>(n);
  }
  // Some file systems (NFS, quotas) report a full disk only when the file is closed.
  if (::close(fd) != 0) return std::strerror(errno);
  return std::nullopt;
}

// `inner` is `outer` or below it; both absolute and canonical.
bool is_within(const fs::path& inner, const fs::path& outer) {
  auto i = inner.begin();
  for (auto o = outer.begin(); o != outer.end(); ++o, ++i) {
    if (o->empty()) continue;  // a trailing separator
    if (i == inner.end() || *i != *o) return false;
  }
  return true;
}

fs::path resolved(const fs::path& p) {
  std::error_code ec;
  fs::path abs = fs::absolute(p, ec);
  fs::path real = fs::weakly_canonical(abs, ec);
  return ec ? abs.lexically_normal() : real;
}

// The temporaries of earlier builds of `name` in `parent`: `.<name>.tmp-<pid>-<hex>` and
// `.<name>.old-<pid>-<hex>`, directories carrying platc's marker, whose build is no longer running
// (it was killed: SIGKILL cannot be caught, nor a power cut). A live build's are left alone, and so
// is anything without the marker: platc removes only what it wrote itself.
void remove_stale(const fs::path& parent, const std::string& name) {
  std::error_code ec;
  fs::directory_iterator it(parent, ec);
  if (ec) return;
  for (const auto& entry : it) {
    std::string file = entry.path().filename().string();
    std::string pid_part;
    for (const char* kind : {".tmp-", ".old-"}) {
      std::string prefix = "." + name + kind;
      if (file.size() > prefix.size() && file.compare(0, prefix.size(), prefix) == 0)
        pid_part = file.substr(prefix.size());
    }
    if (pid_part.empty()) continue;
    char* end = nullptr;
    long pid = std::strtol(pid_part.c_str(), &end, 10);
    if (pid <= 1 || !end || *end != '-') continue;
    if (pid == static_cast<long>(getpid())) continue;
    if (::kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH) continue;  // still running
    std::error_code e2;
    if (!fs::is_directory(fs::symlink_status(entry.path(), e2))) continue;
    if (!fs::is_regular_file(fs::symlink_status(entry.path() / kMarkerFile, e2))) continue;
    fs::remove_all(entry.path(), e2);
  }
}

// Puts `tmp` at `out`: swapped atomically with the previous tree where the kernel can
// (renameat2 RENAME_EXCHANGE), so `out` is never absent. `previous` is set to where the previous
// tree ended up (empty when there was none), for the caller to remove. Returns an errno, 0 on
// success.
int swap_into_place(const fs::path& tmp, const fs::path& out, const fs::path& aside, fs::path& previous) {
  previous.clear();
  std::error_code ec;
  if (!fs::exists(fs::symlink_status(out, ec))) {
    if (std::rename(tmp.c_str(), out.c_str()) == 0) return 0;
    if (errno != EEXIST && errno != ENOTEMPTY) return errno;  // else a concurrent build got there first
  }
#ifdef RENAME_EXCHANGE
  if (::renameat2(AT_FDCWD, tmp.c_str(), AT_FDCWD, out.c_str(), RENAME_EXCHANGE) == 0) {
    previous = tmp;  // the previous tree now sits where the new one was written
    return 0;
  }
  if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP) return errno;
#endif
  // No exchange on this kernel or file system: move the old tree aside, then the new one in. A
  // build killed between the two renames leaves `out` absent until the next build.
  if (std::rename(out.c_str(), aside.c_str()) != 0) return errno;
  if (std::rename(tmp.c_str(), out.c_str()) != 0) {
    int err = errno;
    std::rename(aside.c_str(), out.c_str());
    return err;
  }
  previous = aside;
  return 0;
}

}  // namespace

std::optional<std::string> check_output_dir(const fs::path& out, const std::vector<fs::path>& keep) {
  fs::path norm = out.lexically_normal();
  fs::path last = norm.filename().empty() ? norm.parent_path().filename() : norm.filename();
  if (out.empty() || last.empty() || last == "." || last == "..")
    return fmt::format("`{}` cannot be the output directory: a build replaces it as a whole", out.string());
  std::error_code ec;
  fs::file_status st = fs::status(out, ec);
  if (fs::exists(st)) {
    if (!fs::is_directory(st)) return fmt::format("`{}` exists and is not a directory", out.string());
    if (!fs::is_empty(out, ec) && !fs::exists(out / kMarkerFile, ec))
      return fmt::format("`{}` is not empty and was not written by platc; refusing to replace it", out.string());
  }
  fs::path real = resolved(out);
  if (is_within(resolved(fs::current_path(ec)), real))
    return fmt::format("`{}` cannot be the output directory: it contains the working directory", out.string());
  for (const auto& k : keep)
    if (is_within(resolved(k), real))
      return fmt::format("`{}` cannot be the output directory: it contains `{}`, which a build would delete",
                         out.string(), k.string());
  return std::nullopt;
}

std::optional<std::string> write_atomically(const OutputTree& tree, const fs::path& out_in) {
  // First: from here on SIGINT, SIGTERM and SIGHUP wait until the temporary tree is gone.
  InterruptGuard interrupt;
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
  remove_stale(parent, out.filename().string());

  std::string suffix = unique_suffix();
  fs::path tmp = parent / fmt::format(".{}.tmp-{}", out.filename().string(), suffix);
  fs::path aside = parent / fmt::format(".{}.old-{}", out.filename().string(), suffix);
  auto fail = [&](std::string why) -> std::optional<std::string> {
    std::error_code ignore;
    fs::remove_all(tmp, ignore);
    return why;
  };
  auto interrupted = [&] {
    return fmt::format("interrupted by signal {}; `{}` is unchanged", interrupt.pending(), out.string());
  };
  fs::create_directory(tmp, ec);
  if (ec) return fail(fmt::format("cannot create `{}`: {}", tmp.string(), ec.message()));
  // The marker goes in first: a build killed from here on leaves a tree the next one may remove.
  if (auto why = write_file(tmp / kMarkerFile, "This directory is written by platc build and replaced as a whole.\n"))
    return fail(fmt::format("cannot write into `{}`: {}", tmp.string(), *why));
  for (const auto& [rel, content] : tree.files()) {
    if (interrupt.pending()) return fail(interrupted());
    fs::path p = tmp / rel;
    fs::create_directories(p.parent_path(), ec);
    if (ec) return fail(fmt::format("cannot create `{}`: {}", (out / rel).parent_path().string(), ec.message()));
    if (auto why = write_file(p, content))
      return fail(fmt::format("cannot write `{}`: {}", (out / rel).string(), *why));
  }
  if (interrupt.pending()) return fail(interrupted());

  fs::path previous;
  if (int err = swap_into_place(tmp, out, aside, previous); err != 0)
    return fail(fmt::format("cannot move the new output into `{}`: {}", out.string(), std::strerror(err)));
  // A failure here leaves a marked tree of a finished build: the next build removes it.
  if (!previous.empty()) fs::remove_all(previous, ec);
  return std::nullopt;
}

}  // namespace platc::emit
