#include "backends/emit/base64.h"

namespace platc::emit {

std::string base64(std::string_view bytes) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t k = 0;
  for (; k + 2 < bytes.size(); k += 3) {
    unsigned v = static_cast<unsigned char>(bytes[k]) << 16 | static_cast<unsigned char>(bytes[k + 1]) << 8 |
                 static_cast<unsigned char>(bytes[k + 2]);
    for (int shift : {18, 12, 6, 0}) out += kAlphabet[(v >> shift) & 63];
  }
  if (std::size_t rest = bytes.size() - k; rest > 0) {
    unsigned v = static_cast<unsigned char>(bytes[k]) << 16;
    if (rest == 2) v |= static_cast<unsigned char>(bytes[k + 1]) << 8;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += rest == 2 ? kAlphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

}  // namespace platc::emit
