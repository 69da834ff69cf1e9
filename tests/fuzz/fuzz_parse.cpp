// libFuzzer target: arbitrary bytes as a source file through the whole front end that a `platc
// check` of one file runs — byte checks, lexing, parsing with recovery, literal and string
// decoding — then every diagnostic rendered (human and JSON) and the AST dumped, so the renderers
// and the dumper see every shape of tree and range the parser can produce.
//
//   make fuzz      (or: CXX=clang++ cmake -DPLATC_FUZZ=ON … && build platc_fuzz_parse)
//   build/fuzz/platc_fuzz_parse tests/fuzz/corpus -max_len=4096
#include <cstddef>
#include <cstdint>
#include <string>

#include "compiler/ast/dump.h"
#include "compiler/diag/render.h"
#include "compiler/parse/parser.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace platc;
  SourceManager sources;
  FileId id = sources.add("fuzz.plat", std::string(reinterpret_cast<const char*>(data), size));
  // Small limits, so the fuzzer also reaches the limit paths with small inputs.
  parse::Limits limits;
  limits.max_nesting = 16;
  limits.max_tokens = 2000;
  limits.max_syntax_errors = 50;
  parse::ParseResult result = parse::parse_file(sources, id, limits);

  std::size_t total = 0;
  for (const auto& d : result.diags.items()) {
    total += render_human_one(d, sources, false).size();
    total += render_human_one(d, sources, true).size();
  }
  result.diags.sort();
  total += render_json(result.diags, sources).dump().size();
  total += summary_line(result.diags).size();
  total += ast::dump(result.file, true).dump().size();
  total += ast::dump(result.file, false).dump().size();
  // Keep the work observable so it is not optimised away.
  volatile std::size_t sink = total;
  (void)sink;
  return 0;
}
