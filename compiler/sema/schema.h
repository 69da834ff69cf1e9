// The kind schemas: what `service`, `database` … accept, read from the standard library's
// stdlib/kinds/*.plat files (written in the language itself, see stdlib/kinds/README.md). Adding
// an attribute is a stdlib edit, not a C++ change.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/diag/diagnostic.h"
#include "compiler/graph/value.h"
#include "compiler/sema/types.h"
#include "compiler/source/source.h"

namespace platc::sema {

enum class NameRule { Required, Optional, Forbidden };
enum class KeyRule { EnvVar, LabelKey, AnnotationKey, MountPath, Any };

struct AttrSchema {
  std::string name;
  Type type;
  std::string doc;
  bool required = false;
  std::optional<graph::Value> default_value;  // its range points into the stdlib file
  // `default_value`, shared by the histories of every node that takes it (made on first use).
  mutable std::shared_ptr<const graph::Value> shared_default;
  std::optional<graph::Value> min, max;
  SourceRange where;
};

// `entries env { type = env_value  key = env_var }`: a block whose keys are the user's.
struct EntriesSchema {
  std::string name;
  Type type;
  KeyRule key = KeyRule::Any;
  std::string doc;
};

struct OutputSchema {
  std::string name;
  Type type;
  std::string doc;
};

struct BlockSchema {
  std::string name;
  std::string doc;
  NameRule name_rule = NameRule::Forbidden;
  bool repeated = false;
  bool required = false;
  std::vector<std::string> order;  // [min, max]: each at most the next
  std::vector<AttrSchema> attrs;
  std::vector<BlockSchema> blocks;
  std::vector<EntriesSchema> entries;

  const AttrSchema* attr(std::string_view n) const;
  const BlockSchema* block(std::string_view n) const;
  const EntriesSchema* entry(std::string_view n) const;
  // Every member name, for did-you-mean.
  std::vector<std::string> member_names() const;
};

struct KindSchema : BlockSchema {
  bool many = true;  // false: at most one block of this kind per platform
  std::vector<std::string> traits;
  std::vector<OutputSchema> outputs;
  SourceRange where;

  bool has_trait(std::string_view t) const;
  const OutputSchema* output(std::string_view n) const;
  std::vector<std::string> output_names() const;
};

struct Schemas {
  std::vector<KindSchema> kinds;  // sorted by name
  const KindSchema* find(std::string_view kind) const;
  std::vector<std::string> kind_names() const;
};

// Adds the embedded stdlib/kinds/*.plat to `sources` (as builtin files, so defaults have ranges
// to show) and returns the schemas. A mistake in a schema file is a bug of platc: it is returned
// as an ordinary diagnostic, and tests load every schema so it never reaches a user.
//
// The files are parsed once per process (schema_cache.cpp): every later call copies the kept
// schemas and moves their ranges onto the files it adds to `sources`, which is what the parse
// would have given. Every SourceRange in the structs above must be moved there too.
Schemas load_schemas(SourceManager& sources, Diagnostics& diags);

// What load_schemas does on its first call: the parse itself, every time (schema_cache.cpp, tests).
Schemas parse_schemas(SourceManager& sources, Diagnostics& diags);

}  // namespace platc::sema
