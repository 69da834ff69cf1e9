// The fuzz targets without libFuzzer: what `make test` runs as a smoke, built by GCC in the
// Release and ASan builds (clang is not needed). It runs LLVMFuzzerTestOneInput on every file of
// the paths given (the corpus and tests/fuzz/regressions/<target>/), then on a bounded number of
// mutations of them drawn from a fixed seed, so every run tries the same inputs and a failure
// can be replayed. A crash is the failure; a target may also export platc_fuzz_smoke_summary()
// to print what it counted and fail the run (fuzz_build: platforms its generator got wrong).
//
//   platc_fuzz_<target>_smoke [--mutations N] [--seconds S] [--seed N] [--dict FILE] PATH...
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);
// Optional: prints the target's own counts and returns non-zero when they are a failure.
extern "C" __attribute__((weak)) int platc_fuzz_smoke_summary();

namespace {

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The entries of a libFuzzer dictionary: `name="value"` or `"value"`, with \\, \" and \xNN.
std::vector<std::string> read_dict(const std::filesystem::path& p) {
  std::vector<std::string> out;
  std::istringstream lines(read_file(p));
  for (std::string line; std::getline(lines, line);) {
    auto open = line.find('"');
    auto close = line.rfind('"');
    if (line.empty() || line[0] == '#' || open == std::string::npos || close <= open) continue;
    std::string v;
    for (std::size_t i = open + 1; i < close; ++i) {
      if (line[i] == '\\' && i + 1 < close) {
        char c = line[++i];
        if (c == 'x' && i + 2 < close) {
          v += static_cast<char>(std::stoi(line.substr(i + 1, 2), nullptr, 16));
          i += 2;
        } else {
          v += c;
        }
      } else {
        v += line[i];
      }
    }
    out.push_back(v);
  }
  return out;
}

// xorshift64*: the same sequence on every machine, unlike std:: distributions.
struct Rng {
  std::uint64_t s;
  std::uint64_t next() {
    s ^= s >> 12;
    s ^= s << 25;
    s ^= s >> 27;
    return s * 2685821657736338717ULL;
  }
  std::size_t below(std::size_t n) { return n == 0 ? 0 : static_cast<std::size_t>(next() % n); }
};

std::string mutate(std::string in, const std::vector<std::string>& inputs, const std::vector<std::string>& dict,
                   Rng& rng) {
  std::size_t ops = 1 + rng.below(4);
  for (std::size_t k = 0; k < ops; ++k) {
    std::size_t at = rng.below(in.size() + 1);
    switch (rng.below(6)) {
      case 0:  // flip a bit
        if (!in.empty()) in[rng.below(in.size())] ^= static_cast<char>(1u << rng.below(8));
        break;
      case 1:  // a random byte
        in.insert(at, 1, static_cast<char>(rng.below(256)));
        break;
      case 2:  // erase a run
        if (!in.empty()) in.erase(rng.below(in.size()), 1 + rng.below(16));
        break;
      case 3:  // a word of the language
        if (!dict.empty()) in.insert(at, dict[rng.below(dict.size())]);
        break;
      case 4:  // repeat a run
        if (!in.empty()) {
          std::size_t from = rng.below(in.size());
          in.insert(at, in.substr(from, 1 + rng.below(32)));
        }
        break;
      default:  // a run of another input
        if (!inputs.empty()) {
          const std::string& o = inputs[rng.below(inputs.size())];
          if (!o.empty()) {
            std::size_t from = rng.below(o.size());
            in.insert(at, o.substr(from, 1 + rng.below(64)));
          }
        }
    }
  }
  return in;
}

int run_one(const std::string& s) {
  return LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(s.data()), s.size());
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t mutations = 2000;
  double seconds = 5;
  std::uint64_t seed = 0x706c617463ULL;  // "platc"
  std::vector<std::string> dict;
  std::vector<std::filesystem::path> files;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "%s needs a value\n", a.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--mutations") {
      mutations = std::stoul(value());
    } else if (a == "--seconds") {
      seconds = std::stod(value());
    } else if (a == "--seed") {
      seed = std::stoull(value());
    } else if (a == "--dict") {
      dict = read_dict(value());
    } else if (std::filesystem::is_directory(a)) {
      for (const auto& e : std::filesystem::recursive_directory_iterator(a))
        if (e.is_regular_file() && !e.path().filename().string().starts_with("."))  // not .gitkeep
          files.push_back(e.path());
    } else if (std::filesystem::is_regular_file(a)) {
      files.emplace_back(a);
    } else if (std::filesystem::exists(a)) {
      std::fprintf(stderr, "%s: not a file or directory\n", a.c_str());
      return 2;
    }  // an absent path (no regressions yet) is an empty set
  }
  std::sort(files.begin(), files.end());  // directory order differs between machines

  std::vector<std::string> inputs;
  for (const auto& f : files) {
    inputs.push_back(read_file(f));
    run_one(inputs.back());
  }
  // Mutations until the count or the time is reached, whichever comes first: the count keeps the
  // smoke the same on every machine; the time keeps it short on a slow one (the ASan build).
  auto start = std::chrono::steady_clock::now();
  Rng rng{seed | 1};
  std::size_t done = 0;
  for (; done < mutations; ++done) {
    if (std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() > seconds) break;
    std::string base = inputs.empty() ? std::string() : inputs[rng.below(inputs.size())];
    run_one(mutate(std::move(base), inputs, dict, rng));
  }
  std::printf("%s: %zu inputs, %zu mutations (seed %llu)\n", std::filesystem::path(argv[0]).filename().c_str(),
              inputs.size(), done, static_cast<unsigned long long>(seed));
  if (platc_fuzz_smoke_summary) return platc_fuzz_smoke_summary();
  return 0;
}
