// A structure-aware generator for fuzz_build: the fuzzer's bytes are read as choices (how many
// services, which attributes, which references) and become the text of a platform that is meant
// to pass `platc check`. Every choice has a valid default: when the bytes run out each further
// choice is 0, so any input, even an empty one, gives a valid platform, and a mutation of one
// byte changes one decision.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace platc::fuzz {

std::string generate_platform(const std::uint8_t* data, std::size_t size);

}  // namespace platc::fuzz
