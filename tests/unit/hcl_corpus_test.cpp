// The driver of tests/scripts/hcl.sh: with PLATC_HCL_OUT set, writes the corpus of hcl_corpus.h
// into that directory (constructs.tf, dev.tfvars, roundtrip/main.tf with roundtrip.json beside it, aws/*.tf, 300 random
// files in random/) for terraform to read. Without it, checks only that the corpus builds and prints the same bytes
// twice (the writer is deterministic).
#include "tests/unit/hcl_corpus.h"

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;

namespace {

void write(const fs::path& p, const std::string& content) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << content;
}

}  // namespace

TEST_CASE("hcl corpus: builds, deterministic, written where PLATC_HCL_OUT says") {
  using namespace platc::testing;
  nlohmann::json expected, again;
  std::string constructs_tf = hcl::to_hcl(constructs());
  std::string roundtrip_tf = hcl::to_hcl(roundtrip(expected));
  CHECK(constructs_tf == hcl::to_hcl(constructs()));
  CHECK(roundtrip_tf == hcl::to_hcl(roundtrip(again)));
  CHECK(aws_module() == aws_module());
  CHECK(hcl::to_hcl(RandomHcl(5).body(3)) == hcl::to_hcl(RandomHcl(5).body(3)));
  const char* out = std::getenv("PLATC_HCL_OUT");
  if (out == nullptr || *out == '\0') return;
  fs::path dir(out);
  write(dir / "constructs.tf", constructs_tf);
  write(dir / "dev.tfvars", hcl::to_hcl(tfvars()));
  write(dir / "roundtrip" / "main.tf", roundtrip_tf);
  write(dir / "roundtrip.json", expected.dump(1));
  for (const auto& [name, content] : aws_module()) write(dir / "aws" / name, content);
  for (unsigned seed = 1; seed <= 300; ++seed)
    write(dir / "random" / ("r" + std::to_string(seed) + ".tf"), hcl::to_hcl(RandomHcl(seed).body(3)));
}
