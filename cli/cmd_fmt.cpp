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
#include <fstream>
#include <set>
#include <sstream>

#include "cli/common.h"
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
// recursive), each file once. Paths that do not exist are reported.
std::vector<fs::path> collect(const std::vector<std::string>& inputs, Diagnostics& diags, bool& io_error) {
  std::vector<fs::path> files;
  std::set<std::string> seen;
  auto add = [&](const fs::path& p) {
    std::error_code ec;
    fs::path key = fs::weakly_canonical(p, ec);
    if (seen.insert(ec ? p.string() : key.string()).second) files.push_back(p);
  };
  for (const auto& in : inputs) {
    std::error_code ec;
    auto st = fs::status(in, ec);
    if (fs::is_directory(st)) {
      for (const auto& f : driver::plat_files_in(in)) add(f);
    } else if (fs::exists(st)) {
      add(in);
    } else {
      diags.report(DiagKind::CannotRead, SourceRange{}, in, ec ? ec.message() : "no such file or directory");
      io_error = true;
    }
  }
  return files;
}

std::optional<std::string> read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream buf;
  buf << in.rdbuf();
  if (in.bad()) return std::nullopt;
  return buf.str();
}

int run_fmt(const FmtOptions& o) {
  std::vector<std::string> inputs = o.paths.empty() ? std::vector<std::string>{"."} : o.paths;
  SourceManager sources;
  Diagnostics diags;
  bool io_error = false, changes = false;
  parse::Limits limits;
  for (const auto& path : collect(inputs, diags, io_error)) {
    std::string shown = path.generic_string();
    std::error_code ec;
    auto size = fs::file_size(path, ec);
    if (!ec && size > limits.max_file_bytes) {
      FileId id = sources.add(shown, "");
      diags.report(DiagKind::FileTooLarge, SourceRange{id, 1, 1, 1, 1}, shown, size, limits.max_file_bytes);
      continue;
    }
    auto text = read_file(path);
    if (!text) {
      diags.report(DiagKind::CannotRead, SourceRange{}, shown, ec ? ec.message() : "cannot open the file");
      io_error = true;
      continue;
    }
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
