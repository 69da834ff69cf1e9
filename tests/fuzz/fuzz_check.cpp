// libFuzzer target: arbitrary bytes as a platform's one file through what `platc check` runs —
// loading (byte checks, parsing, imports of the embedded stdlib), sema (schemas, names, types and
// units, overlays, references, cycles), every backend's check step and the contract's, the
// policies with their waivers — then every diagnostic rendered in every format `platc check`
// prints (human, JSON, SARIF, GitHub). Seeds: tests/fuzz/corpus/check/ (the examples' files).
//
//   make fuzz      (or: build/fuzz/platc_fuzz_check -dict=tests/fuzz/plat.dict tests/fuzz/corpus/check)
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tests/fuzz/pipeline.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // Inputs past 64 KiB find nothing the smaller ones do not, and slow every execution down.
  if (size > 64 * 1024) return -1;
  auto c = platc::fuzz::check(std::string_view(reinterpret_cast<const char*>(data), size));
  volatile std::size_t sink = platc::fuzz::render_all(*c);
  (void)sink;
  return 0;
}
