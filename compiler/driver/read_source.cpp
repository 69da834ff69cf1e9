#include "compiler/driver/read_source.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

namespace platc::driver {
namespace fs = std::filesystem;

namespace {

std::string kind_of(mode_t m) {
  if (S_ISDIR(m)) return "a directory";
  if (S_ISFIFO(m)) return "a FIFO";
  if (S_ISCHR(m)) return "a character device";
  if (S_ISBLK(m)) return "a block device";
  if (S_ISSOCK(m)) return "a socket";
  return "not a regular file";
}

SourceRead unreadable(std::string why) {
  SourceRead r;
  r.status = SourceRead::Status::Unreadable;
  r.error = std::move(why);
  return r;
}

}  // namespace

SourceRead read_source(const fs::path& path, const fs::path& root, std::uintmax_t max_bytes) {
  std::error_code ec;
  // Every symlink resolved: dangling links and loops fail here, with the system's words.
  fs::path real = fs::canonical(path, ec);
  if (ec) {
    if (fs::is_symlink(fs::symlink_status(path)) && ec == std::errc::no_such_file_or_directory)
      return unreadable("a symlink to a file that does not exist");
    return unreadable(ec.message());
  }
  fs::path base = fs::canonical(root.empty() ? fs::path(".") : root, ec);
  if (ec) return unreadable(ec.message());
  fs::path inside = real.lexically_relative(base);
  if (inside.empty() || *inside.begin() == "..") {
    SourceRead r;
    r.status = SourceRead::Status::Outside;
    return r;
  }
  // O_NONBLOCK: opening a FIFO for reading must not wait for a writer; the type is then checked
  // on the open descriptor, so a file swapped after the checks above is still caught.
  int fd = ::open(real.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) return unreadable(std::strerror(errno));
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    std::string why = std::strerror(errno);
    ::close(fd);
    return unreadable(why);
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    return unreadable(S_ISDIR(st.st_mode) ? "it is a directory" : "not a regular file (" + kind_of(st.st_mode) + ")");
  }
  if (static_cast<std::uintmax_t>(st.st_size) > max_bytes) {
    ::close(fd);
    SourceRead r;
    r.status = SourceRead::Status::TooLarge;
    r.size = static_cast<std::uintmax_t>(st.st_size);
    return r;
  }
  SourceRead r;
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      std::string why = std::strerror(errno);
      ::close(fd);
      return unreadable(why);
    }
    if (n == 0) break;
    r.text.append(buf, static_cast<std::size_t>(n));
    // A file that grows while it is read is still held to the limit.
    if (r.text.size() > max_bytes) {
      ::close(fd);
      SourceRead big;
      big.status = SourceRead::Status::TooLarge;
      big.size = r.text.size();
      return big;
    }
  }
  ::close(fd);
  return r;
}

}  // namespace platc::driver
