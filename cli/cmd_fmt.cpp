// platc fmt: rewrite .plat files into the canonical layout of compiler/format/. Each file is
// formatted on its own (imports are not followed); a file that does not parse is reported and
// left alone.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <set>

#include "cli/common.h"
#include "compiler/driver/load.h"
#include "compiler/driver/read_source.h"
#include "compiler/format/format.h"
#include "compiler/parse/parser.h"

namespace platc::cli {
namespace {
namespace fs = std::filesystem;

struct FmtOptions {
  std::vector<std::string> paths;
  bool check = false;
  bool to_stdout = false;
  OutputOptions out;
};

// Replaces `path` with `text` atomically: a temporary file in the same directory (so the rename
// cannot cross file systems), with the original's permissions, renamed over it. A symlink is
// followed, so the link stays a link. Returns an error message, empty on success.
std::string write_atomically(const fs::path& path, const std::string& text) {
  std::error_code ec;
  fs::path target = fs::is_symlink(path, ec) ? fs::canonical(path, ec) : path;
  if (ec) return ec.message();
  fs::path dir = target.parent_path().empty() ? fs::path(".") : target.parent_path();
  std::string tmp = (dir / ("." + target.filename().string() + ".platc-fmt-XXXXXX")).string();
  int fd = mkstemp(tmp.data());
  if (fd < 0) return std::strerror(errno);
  auto fail = [&](int err) {
    close(fd);
    unlink(tmp.c_str());
    return std::string(std::strerror(err));
  };
  struct stat st {};
  if (stat(target.c_str(), &st) == 0 && fchmod(fd, st.st_mode & 07777) != 0) return fail(errno);
  for (std::size_t done = 0; done < text.size();) {
    ssize_t n = write(fd, text.data() + done, text.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail(errno);
    }
    done += static_cast<std::size_t>(n);
  }
  if (fsync(fd) != 0) return fail(errno);
  if (close(fd) != 0) {
    int err = errno;
    unlink(tmp.c_str());
    return std::strerror(err);
  }
  if (std::rename(tmp.c_str(), target.c_str()) != 0) {
    int err = errno;
    unlink(tmp.c_str());
    return std::strerror(err);
  }
  return {};
}

// The files the arguments name: files as given, directories as their `.plat` files (not
// recursive), each file once, with the directory it must stay inside (the directory given, or
// the file's own). Paths that do not exist are reported.
struct Input {
  fs::path path, root;
};
std::vector<Input> collect(const std::vector<std::string>& inputs, Diagnostics& diags, bool& io_error) {
  std::vector<Input> files;
  std::set<std::string> seen;
  auto add = [&](const fs::path& p, const fs::path& root) {
    std::error_code ec;
    fs::path key = fs::weakly_canonical(p, ec);
    if (seen.insert(ec ? p.string() : key.string()).second) files.push_back({p, root});
  };
  for (const auto& in : inputs) {
    std::error_code ec;
    auto st = fs::status(in, ec);
    if (fs::is_directory(st)) {
      for (const auto& f : driver::plat_files_in(in)) add(f, in);
    } else if (fs::exists(fs::symlink_status(in, ec))) {
      fs::path p = fs::path(in).lexically_normal();
      add(p, p.has_parent_path() ? p.parent_path() : fs::path("."));
    } else {
      diags.report(DiagKind::CannotRead, SourceRange{}, in, ec ? ec.message() : "no such file or directory");
      io_error = true;
    }
  }
  return files;
}

int run_fmt(const FmtOptions& o) {
  std::vector<std::string> inputs = o.paths.empty() ? std::vector<std::string>{"."} : o.paths;
  SourceManager sources;
  Diagnostics diags;
  bool io_error = false, changes = false;
  parse::Limits limits;
  for (const auto& [path, root] : collect(inputs, diags, io_error)) {
    std::string shown = path.generic_string();
    // The loader's rule: a regular file inside the directory, symlinks resolved, so `fmt` never
    // rewrites a file elsewhere through a symlink in the platform.
    driver::SourceRead read = driver::read_source(path, root, limits.max_file_bytes);
    if (read.status == driver::SourceRead::Status::TooLarge) {
      FileId id = sources.add(shown, "");
      diags.report(DiagKind::FileTooLarge, SourceRange{id, 1, 1, 1, 1}, shown, read.size, limits.max_file_bytes);
      continue;
    }
    if (read.status == driver::SourceRead::Status::Outside) {
      diags.report(DiagKind::SymlinkOutsideRoot, SourceRange{}, shown, root.generic_string())
          .with_help("copy the file into the platform directory, or remove the symlink");
      io_error = true;
      continue;
    }
    if (read.status == driver::SourceRead::Status::Unreadable) {
      diags.report(DiagKind::CannotRead, SourceRange{}, shown, read.error);
      io_error = true;
      continue;
    }
    auto text = std::optional<std::string>(std::move(read.text));
    FileId id = sources.add(shown, *text);
    auto parsed = parse::parse_file(sources, id, limits);
    bool broken = parsed.diags.has_errors();
    diags.append(std::move(parsed.diags));
    if (broken) continue;  // never rewrite what we could not read completely

    std::string formatted = format::format_file(parsed.file, sources.file(id));
    if (o.to_stdout) {
      std::fwrite(formatted.data(), 1, formatted.size(), stdout);
      continue;
    }
    if (formatted == *text) continue;
    changes = true;
    if (o.check) {
      std::printf("%s\n", shown.c_str());
      continue;
    }
    if (auto err = write_atomically(path, formatted); !err.empty()) {
      std::fprintf(stderr, "error: cannot write `%s`: %s\n", shown.c_str(), err.c_str());
      io_error = true;
    }
  }
  std::fflush(stdout);
  diags.sort();
  print_diagnostics(diags, sources, o.out);
  if (io_error) return kUsageError;
  if (diags.has_errors()) return kCompileError;
  if (o.check && changes) return kFindings;
  return kOk;
}

}  // namespace

Runner register_fmt(CLI::App& app) {
  auto s = std::make_shared<FmtOptions>();
  auto* cmd = app.add_subcommand("fmt", "Rewrite .plat files into the canonical layout");
  cmd->add_option("paths", s->paths, "Files, or directories meaning the .plat files directly inside (default: .)");
  auto* check = cmd->add_flag("--check", s->check,
                              "Change nothing: print the files that are not formatted, exit 1 if there are any");
  auto* out = cmd->add_flag("--stdout", s->to_stdout, "Print the formatted text to stdout instead of rewriting files");
  check->excludes(out);
  add_output_options(cmd, s->out, false);
  return [s]() { return run_fmt(*s); };
}

}  // namespace platc::cli
