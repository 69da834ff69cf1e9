// platc explain CODE: the long explanation of a diagnostic, like `rustc --explain`.
#include <fmt/format.h>

#include <cstdio>

#include "cli/common.h"
#include "compiler/diag/explanations.h"

namespace platc::cli {

Runner register_explain(CLI::App& app) {
  auto code = std::make_shared<std::string>();
  auto* cmd = app.add_subcommand("explain", "Print the long explanation of a diagnostic code, e.g. E0101");
  cmd->add_option("code", *code, "The code, as shown in brackets: error[E0101]")->required();
  return [code]() {
    std::string want = *code;
    for (auto& c : want) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    const DiagKindInfo* info = find_diag_code(want);
    if (info) {
      for (const auto& f : embedded_explain()) {
        if (f.name == info->code) {
          std::fwrite(f.content.data(), 1, f.content.size(), stdout);
          return int(kOk);
        }
      }
    }
    if (info) {
      fmt::print(stderr, "error: {} has no long explanation in this build of platc\n", info->code);
      return int(kUsageError);
    }
    std::vector<std::string> codes;
    for (const auto& k : all_diag_kinds()) codes.emplace_back(k.code);
    std::string msg = fmt::format("error: `{}` is not a platc diagnostic code", *code);
    if (auto m = closest_match(want, codes)) msg += fmt::format("\nhelp: did you mean `{}`?", *m);
    std::fprintf(stderr, "%s\n", msg.c_str());
    return int(kUsageError);
  };
}

}  // namespace platc::cli
