// Finding and parsing a platform's files: the `.plat` files of a directory (in byte-wise name
// order), single files, and everything they import, each read and parsed once.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "compiler/ast/ast.h"
#include "compiler/diag/diagnostic.h"
#include "compiler/parse/parser.h"
#include "compiler/source/source.h"

namespace platc::driver {

struct Platform {
  std::filesystem::path root;     // imports may not leave this directory
  std::vector<ast::File> files;   // the directory's files in order, then imports as first reached
};

struct LoadResult {
  Platform platform;
  Diagnostics diags;
  bool io_error = false;  // a path could not be read at all: exit code 3, not 2
};

// `inputs` are files or directories, as given on the command line (empty means ".").
LoadResult load_platform(SourceManager& sources, const std::vector<std::string>& inputs,
                         const parse::Limits& limits = {});

// The `.plat` files directly inside `dir`, sorted byte-wise by name (locale-independent).
std::vector<std::filesystem::path> plat_files_in(const std::filesystem::path& dir);

}  // namespace platc::driver
