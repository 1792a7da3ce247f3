#include "telemetry/api/ids.h"

#include <array>

namespace blogtrace::telemetry::internal {
namespace {
constexpr char kHex[] = "0123456789abcdef";

// Hex digit values; -1 for anything else. Upper case is marked -2 so lower-only parsing (W3C
// traceparent) can reject it with the same lookup.
constexpr std::array<std::int8_t, 256> MakeHexTable() {
  std::array<std::int8_t, 256> t{};
  for (auto& v : t) v = -1;
  for (int c = '0'; c <= '9'; ++c)
    t[static_cast<std::size_t>(c)] = static_cast<std::int8_t>(c - '0');
  for (int c = 'a'; c <= 'f'; ++c)
    t[static_cast<std::size_t>(c)] = static_cast<std::int8_t>(c - 'a' + 10);
  for (int c = 'A'; c <= 'F'; ++c) t[static_cast<std::size_t>(c)] = -2;
  return t;
}
constexpr std::array<std::int8_t, 256> kHexTable = MakeHexTable();

inline int HexValue(char c, bool lower_only) noexcept {
  int v = kHexTable[static_cast<unsigned char>(c)];
  if (v == -2 && !lower_only) return (c | 0x20) - 'a' + 10;
  return v;
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
