#include "backends/github/pins.h"

#include <cstdlib>
#include <sstream>

#include "backends/github/embedded.h"

namespace platc::github {

const std::vector<Pin>& pins() {
  static const std::vector<Pin> table = [] {
    std::vector<Pin> out;
    for (const auto& f : embedded_github()) {
      if (f.name != "actions.pins") continue;
      std::istringstream in{std::string(f.content)};
      std::string line;
      while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        std::istringstream fields(line);
        Pin p;
        fields >> p.action >> p.version >> p.commit;
        std::getline(fields >> std::ws, p.source);
        out.push_back(std::move(p));
      }
    }
    return out;
  }();
  return table;
}

const Pin& pin(std::string_view action) {
  for (const auto& p : pins())
    if (p.action == action) return p;
  std::abort();  // an action outside the table: the unit test names every one the backend uses
}

std::string uses(std::string_view action) {
  const Pin& p = pin(action);
  return p.action + "@" + p.commit;
}

}  // namespace platc::github
