// load_schemas: the kind schemas parsed once per process, then copied.
//
// Every run of sema needs the schemas, and parsing ~100 KB of stdlib/kinds/*.plat with ANTLR was
// most of the time of a small `platc check` and of each execution of the fuzz targets (which run
// sema thousands of times per process; fuzz_build twice per execution). The parse is
// deterministic, so its result is kept: the first call parses the files into a private
// SourceManager, where they are files 0 .. n-1; every call adds the same files to the caller's
// SourceManager, exactly as the parse would have, and returns a copy of the kept schemas whose
// ranges are moved from file i to the id the caller's i-th file got. Output is the same byte for
// byte: the same files with the same ids, the same ranges, the same values.
//
// Thread-safety: the cache is a function-local static, initialised once even with concurrent
// first calls (C++11), and only read after that. It is never handed out: the copies are the
// callers' own, so resolve's lazy `shared_default` is filled in the copy, never in the cache.
#include <fmt/format.h>

#include <optional>
#include <vector>

#include "compiler/driver/embedded.h"
#include "compiler/sema/schema.h"

namespace platc::sema {
namespace {

// Moves ranges from the private SourceManager's ids (0 .. n-1) to the caller's.
class Remap {
 public:
  explicit Remap(const std::vector<FileId>& ids) : ids_(ids) {}

  void range(SourceRange& r) const {
    if (r.file != kNoFile) r.file = ids_.at(r.file);
  }
  void value(graph::Value& v) const {
    range(v.range);
    for (auto& r : v.key_ranges) range(r);
    for (auto& item : v.items) value(item);
    for (auto& [key, inner] : v.entries) value(inner);
  }
  void value(std::optional<graph::Value>& v) const {
    if (v) value(*v);
  }
  void block(BlockSchema& b) const {
    for (auto& a : b.attrs) {
      range(a.where);
      value(a.default_value);
      value(a.min);
      value(a.max);
    }
    for (auto& child : b.blocks) block(child);
  }
  void kind(KindSchema& k) const {
    range(k.where);
    block(k);
  }

 private:
  const std::vector<FileId>& ids_;
};

// The first parse, into a SourceManager of its own; nullopt when it reported anything (a bug of
// platc, caught by the tests): then every call parses, so the diagnostics reach the caller.
const std::optional<Schemas>& kept() {
  static const std::optional<Schemas> schemas = []() -> std::optional<Schemas> {
    SourceManager own;
    Diagnostics diags;
    Schemas s = parse_schemas(own, diags);
    if (!diags.empty() || own.size() != embedded_kinds().size()) return std::nullopt;
    return s;
  }();
  return schemas;
}

}  // namespace

Schemas load_schemas(SourceManager& sources, Diagnostics& diags) {
  const std::optional<Schemas>& cached = kept();
  if (!cached) return parse_schemas(sources, diags);
  // The files as parse_schemas adds them: same paths, same order, builtin.
  std::vector<FileId> ids;
  for (const auto& f : embedded_kinds())
    ids.push_back(sources.add(fmt::format("<std>/kinds/{}.plat", f.name), std::string(f.content), true));
  Schemas out = *cached;
  Remap remap(ids);
  for (auto& k : out.kinds) remap.kind(k);
  return out;
}

}  // namespace platc::sema
