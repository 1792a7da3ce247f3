#include "store/id.h"

#include <array>
#include <cstdint>
#include <cstdlib>

namespace blogtrace::store {

std::string NewId(std::chrono::system_clock::time_point now) {
  // RFC 9562 section 5.7: unix_ts_ms (48) | ver 0111 (4) | rand_a (12) | var 10 (2) | rand_b (62).
  std::array<std::uint8_t, 16> bytes{};
  // arc4random_buf (glibc >= 2.36) is thread-safe, never fails and draws from the kernel CSPRNG.
  arc4random_buf(bytes.data() + 6, bytes.size() - 6);
  const auto ms = static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count());
  for (int i = 0; i < 6; ++i) {
    bytes[i] = static_cast<std::uint8_t>(ms >> (8 * (5 - i)));
  }
  bytes[6] = static_cast<std::uint8_t>(0x70 | (bytes[6] & 0x0F));
  bytes[8] = static_cast<std::uint8_t>(0x80 | (bytes[8] & 0x3F));

  static constexpr char kHex[] = "0123456789abcdef";
  std::string text;
  text.reserve(36);
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) {
      text.push_back('-');
    }
    text.push_back(kHex[bytes[i] >> 4]);
    text.push_back(kHex[bytes[i] & 0x0F]);
  }
  return text;
}

}  // namespace blogtrace::store
