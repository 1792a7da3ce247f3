#include "telemetry/api/ids.h"

namespace blogtrace::telemetry::internal {
namespace {
constexpr char kHex[] = "0123456789abcdef";

// -1 for a non-hex character; upper case allowed only when !lower_only.
inline int HexValue(char c, bool lower_only) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (!lower_only && c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
}  // namespace

void BytesToHex(const std::uint8_t* bytes, std::size_t n, char* out) noexcept {
  for (std::size_t i = 0; i < n; ++i) {
    out[2 * i] = kHex[bytes[i] >> 4];
    out[2 * i + 1] = kHex[bytes[i] & 0xf];
  }
}

bool HexToBytes(std::string_view hex, std::uint8_t* out, std::size_t n, bool lower_only) noexcept {
  if (hex.size() != 2 * n) return false;
  for (std::size_t i = 0; i < n; ++i) {
    int hi = HexValue(hex[2 * i], lower_only);
    int lo = HexValue(hex[2 * i + 1], lower_only);
    if (hi < 0 || lo < 0) return false;
    out[i] = static_cast<std::uint8_t>((hi << 4) | lo);
  }
  return true;
}

}  // namespace blogtrace::telemetry::internal
