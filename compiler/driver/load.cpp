#include "compiler/driver/load.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <system_error>

#include "compiler/driver/embedded.h"
#include "compiler/driver/read_source.h"

namespace platc::driver {
namespace fs = std::filesystem;

std::vector<fs::path> plat_files_in(const fs::path& dir) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    // Every entry named `*.plat`, whatever it is: a directory, FIFO, device or broken symlink of
    // that name is reported when it is read (read_source), not skipped in silence.
    if (it->path().extension() == ".plat") out.push_back(it->path());
  }
  std::sort(out.begin(), out.end(),
            [](const fs::path& a, const fs::path& b) { return a.filename().string() < b.filename().string(); });
  return out;
}

namespace {

class Loader {
 public:
  Loader(SourceManager& sources, const parse::Limits& limits, LoadResult& result)
      : sources_(sources), limits_(limits), r_(result) {}

  // Reads and parses a file once; `from` is the import that asked for it, if any. The file,
  // symlinks resolved, must be a regular file inside `root` (read_source.h).
  void load_path(const fs::path& shown, const SourceRange* from, const fs::path& root) {
    std::error_code ec;
    fs::path key = fs::weakly_canonical(shown, ec);
    if (ec) key = shown;
    if (!seen_.insert(key.string()).second) return;

    SourceRead read = read_source(shown, root, limits_.max_file_bytes);
    switch (read.status) {
      case SourceRead::Status::Ok:
        break;
      case SourceRead::Status::TooLarge: {
        FileId id = sources_.add(shown.generic_string(), "");
        r_.diags
            .report(DiagKind::FileTooLarge, SourceRange{id, 1, 1, 1, 1}, shown.generic_string(), read.size,
                    limits_.max_file_bytes)
            .with_help("split the platform across several `.plat` files in the same directory");
        return;
      }
      case SourceRead::Status::Outside:
        if (from) {
          r_.diags.report(DiagKind::ImportOutsideRoot, *from, shown.generic_string(), root.generic_string())
              .label("a symlink that leaves the platform directory");
        } else {
          r_.diags.report(DiagKind::SymlinkOutsideRoot, SourceRange{}, shown.generic_string(), root.generic_string())
              .note(
                  "platc reads only files inside the platform directory, so a file in a pull request cannot "
                  "make it read (and print) one elsewhere")
              .with_help("copy the file into the platform directory, or remove the symlink");
          r_.io_error = true;
        }
        return;
      case SourceRead::Status::Unreadable:
        if (from) {
          r_.diags.report(DiagKind::ImportNotFound, *from, shown.generic_string()).label(read.error);
        } else {
          r_.diags.report(DiagKind::CannotRead, SourceRange{}, shown.generic_string(), read.error);
          r_.io_error = true;
        }
        return;
    }
    FileId id = sources_.add(shown.generic_string(), std::move(read.text));
    parse_and_follow(id, shown.parent_path());
  }

  void load_std(const std::string& module, const SourceRange& from) {
    std::string name = module.substr(4);  // after "std."
    if (!seen_.insert("<std>/" + name).second) return;
    for (const auto& f : embedded_stdlib()) {
      if (f.name == name) {
        FileId id = sources_.add(fmt::format("<std>/{}.plat", name), std::string(f.content), true);
        parse_and_follow(id, {});
        return;
      }
    }
    std::vector<std::string> names;
    for (const auto& f : embedded_stdlib()) names.push_back("std." + std::string(f.name));
    auto& d = r_.diags.report(DiagKind::UnknownStdModule, from, module).label("no such module");
    if (auto m = closest_match(module, names)) d.with_help(fmt::format("did you mean `{}`?", *m)).fix(from, *m);
    std::string list;
    for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
    d.note("the standard library has: " + list);
  }

 private:
  void parse_and_follow(FileId id, const fs::path& dir) {
    auto parsed = parse::parse_file(sources_, id, limits_);
    r_.diags.append(std::move(parsed.diags));
    std::vector<const ast::Import*> imports;
    for (const auto& item : parsed.file.items)
      if (auto* imp = std::get_if<ast::Import>(&item)) imports.push_back(imp);
    // Copy what the imports need before the AST moves into the result.
    struct Pending {
      std::string target;
      bool is_path;
      SourceRange range;
    };
    std::vector<Pending> pending;
    for (const auto* imp : imports) pending.push_back({imp->target, imp->is_path, imp->target_range});
    r_.platform.files.push_back(std::move(parsed.file));
    for (const auto& p : pending) {
      if (!p.is_path) {
        if (p.target.rfind("std.", 0) == 0) {
          load_std(p.target, p.range);
        } else {
          r_.diags.report(DiagKind::UnknownStdModule, p.range, p.target)
              .label("not a standard library module")
              .with_help(
                  fmt::format("modules are named `std.…`; to import a file write `import \"./{}.plat\"`", p.target));
        }
        continue;
      }
      follow_path(p.target, p.range, dir, sources_.file(id).builtin);
    }
  }

  void follow_path(const std::string& target, const SourceRange& range, const fs::path& dir, bool from_std) {
    fs::path rel(target);
    if (from_std || rel.is_absolute() || target.empty()) {
      r_.diags.report(DiagKind::ImportOutsideRoot, range, target, r_.platform.root.generic_string())
          .label("not a relative path inside the platform")
          .with_help("import files by a path relative to the importing file, e.g. `import \"./network.plat\"`");
      return;
    }
    if (rel.extension() != ".plat") {
      r_.diags.report(DiagKind::ImportNotPlat, range, target).label("not a `.plat` file");
      return;
    }
    fs::path shown = (dir / rel).lexically_normal();
    // Confinement is checked on the resolved path, so symlinks cannot lead outside either.
    std::error_code ec;
    fs::path root = fs::weakly_canonical(r_.platform.root, ec);
    fs::path real = fs::weakly_canonical(shown, ec);
    fs::path inside = real.lexically_relative(root);
    if (inside.empty() || *inside.begin() == "..") {
      r_.diags.report(DiagKind::ImportOutsideRoot, range, target, r_.platform.root.generic_string())
          .label("leaves the platform directory");
      return;
    }
    load_path(shown, &range, r_.platform.root);
  }

  SourceManager& sources_;
  const parse::Limits& limits_;
  LoadResult& r_;
  std::set<std::string> seen_;
};

}  // namespace

LoadResult load_platform(SourceManager& sources, const std::vector<std::string>& inputs_in,
                         const parse::Limits& limits) {
  LoadResult result;
  std::vector<std::string> inputs = inputs_in.empty() ? std::vector<std::string>{"."} : inputs_in;
  Loader loader(sources, limits, result);
  std::error_code ec;
  // The platform root is the first input's directory.
  fs::path first(inputs.front());
  result.platform.root = fs::is_directory(first, ec) ? first : first.parent_path();
  if (result.platform.root.empty()) result.platform.root = ".";

  for (const auto& in : inputs) {
    fs::path p(in);
    if (fs::is_directory(p, ec)) {
      auto files = plat_files_in(p);
      if (files.empty()) {
        result.diags.report(DiagKind::NoSourceFiles, SourceRange{}, p.generic_string())
            .with_help("run `platc init` to create a starter platform");
        result.io_error = true;
      }
      for (const auto& f : files) {
        // Show paths as the user wrote the directory: "examples/x/platform.plat", "./a.plat" → "a.plat".
        fs::path shown = p == "." ? f.filename() : (p / f.filename()).lexically_normal();
        loader.load_path(shown, nullptr, p);
      }
    } else {
      fs::path file = p.lexically_normal();
      loader.load_path(file, nullptr, file.has_parent_path() ? file.parent_path() : fs::path("."));
    }
  }
  return result;
}

}  // namespace platc::driver
