// platc backends: the backends `--emit` can name, what each writes, and (JSON) the files each
// copies verbatim from platc's sources, which the golden tests compare with those sources.
#include <cstdio>
#include <nlohmann/json.hpp>

#include "backends/backend.h"
#include "cli/common.h"

namespace platc::cli {

Runner register_backends(CLI::App& app) {
  auto format = std::make_shared<std::string>("human");
  auto* cmd = app.add_subcommand("backends", "List the backends `platc build --emit` can choose from");
  cmd->add_option("--format", *format, "human (default) or json")->check(CLI::IsMember({"human", "json"}));
  return [format]() {
    std::string out;
    if (*format == "json") {
      nlohmann::json list = nlohmann::json::array();
      for (const auto* b : backends::registry()) {
        nlohmann::json fixed = nlohmann::json::array();
        for (const auto& f : b->fixed_files()) fixed.push_back({{"output", f.output}, {"source", f.source}});
        list.push_back({{"name", b->name()}, {"summary", b->summary()}, {"fixed_files", fixed}});
      }
      out = nlohmann::json{{"backends", list}}.dump(2) + "\n";
    } else {
      for (const auto* b : backends::registry()) out += fmt::format("{:<12} {}\n", b->name(), b->summary());
    }
    std::fwrite(out.data(), 1, out.size(), stdout);
    return int(kOk);
  };
}

}  // namespace platc::cli
