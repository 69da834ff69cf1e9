// platc init [DIR]: a small, valid starter platform to edit.
#include <fmt/format.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "cli/common.h"

namespace platc::cli {

// Kept in canonical format and compiling cleanly: tests/golden/cli checks both.
constexpr const char* kStarter = R"(# A starter platform: one service with a database, three environments.
# Run `platc check` after each edit and `platc build` to generate the artifacts.

platform {name} {
  owner   = "platform-team"
  targets = [aws]
  region  = "eu-west-1"
  tags    = { owner = "platform-team", team = "platform", cost-center = "cc-0000" }
}

environment dev {
  domain = "dev.example.com"
}

environment production {
  domain   = "example.com"
  approval = required
}

database main {
  engine  = postgres 16
  size    = small
  storage = 20GiB
  backup { retention = 7d  point_in_time = true }

  on production {
    size              = medium
    high_availability = true
    backup { retention = 14d }
  }
}

# What the platform may cost per month, with e-mails at 80% and 100%.
budget monthly {
  monthly_limit = 300
  alert_at      = [80%, 100%]
  notify        = ["platform-team@example.com"]
}

service api {
  image    = build("./api")
  port     = 8080
  replicas = 2
  resources { cpu = 250m .. 1  memory = 256Mi .. 512Mi }
  env {
    DATABASE_URL = main.url
  }
  health { liveness = "/healthz"  readiness = "/ready" }
  expose { host = "api.${env.domain}" }
}
)";

Runner register_init(CLI::App& app) {
  auto dir = std::make_shared<std::string>(".");
  auto* cmd = app.add_subcommand("init", "Write a starter platform (platform.plat) into DIR");
  cmd->add_option("dir", *dir, "Where to create it (default: .)");
  return [dir]() {
    namespace fs = std::filesystem;
    fs::path d(*dir);
    std::error_code ec;
    fs::create_directories(d, ec);
    if (ec) {
      std::fprintf(stderr, "error: cannot create `%s`: %s\n", d.string().c_str(), ec.message().c_str());
      return int(kUsageError);
    }
    if (!driver::plat_files_in(d).empty()) {
      std::fprintf(stderr, "error: `%s` already holds .plat files; refusing to overwrite them\n", d.string().c_str());
      return int(kUsageError);
    }
    // The platform's name: the directory's, made into an identifier.
    std::string name = fs::absolute(d).lexically_normal().filename().string();
    if (name.empty()) name = fs::absolute(d).lexically_normal().parent_path().filename().string();
    std::string ident;
    for (char c : name) ident += std::isalnum(static_cast<unsigned char>(c)) ? static_cast<char>(std::tolower(c)) : '_';
    if (ident.empty() || !std::isalpha(static_cast<unsigned char>(ident[0]))) ident = "p_" + ident;
    while (!ident.empty() && ident.back() == '_') ident.pop_back();
    std::string text = kStarter;
    text.replace(text.find("{name}"), 6, ident);
    fs::path file = d / "platform.plat";
    std::ofstream out(file, std::ios::binary);
    out << text;
    if (!out) {
      std::fprintf(stderr, "error: cannot write `%s`\n", file.string().c_str());
      return int(kUsageError);
    }
    std::fprintf(stderr, "created %s\nnext: platc check %s\n", file.string().c_str(), d.string().c_str());
    return int(kOk);
  };
}

}  // namespace platc::cli
