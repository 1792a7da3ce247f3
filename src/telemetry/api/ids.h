// Trace and span identifiers and trace flags (W3C Trace Context Level 2, sections 3.2.2.3-3.2.2.5).
// Value types; thread-safe as values are.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace blogtrace::telemetry {

namespace internal {
// Writes `n` bytes as 2n lower-case hex characters to `out`.
void BytesToHex(const std::uint8_t* bytes, std::size_t n, char* out) noexcept;
// Parses 2n hex characters (lower-case only when `lower_only`) into `n` bytes; false when
// malformed.
bool HexToBytes(std::string_view hex, std::uint8_t* out, std::size_t n, bool lower_only) noexcept;
}  // namespace internal

// A fixed-size identifier of N bytes; all zero means invalid.
template <std::size_t N>
class Id {
 public:
  static constexpr std::size_t kSize = N;
  constexpr Id() noexcept = default;
  constexpr explicit Id(const std::array<std::uint8_t, N>& bytes) noexcept : bytes_(bytes) {}

  // The raw bytes, network order.
  constexpr const std::array<std::uint8_t, N>& bytes() const noexcept { return bytes_; }
  // True unless every byte is zero.
  constexpr bool IsValid() const noexcept {
    for (auto b : bytes_)
      if (b != 0) return true;
    return false;
  }
  // Lower-case hex, 2N characters.
  std::string ToHex() const {
    std::string s(2 * N, '0');
    internal::BytesToHex(bytes_.data(), N, s.data());
    return s;
  }
  // Writes 2N lower-case hex characters to `out` (no terminator).
  void ToHex(char* out) const noexcept { internal::BytesToHex(bytes_.data(), N, out); }
  // Parses exactly 2N hex digits (either case); nullopt when malformed. All zero parses (and is
  // then !IsValid()). The traceparent parser is stricter (lower case only).
  static std::optional<Id> FromHex(std::string_view hex) noexcept {
    Id id;
    if (hex.size() != 2 * N || !internal::HexToBytes(hex, id.bytes_.data(), N, false))
      return std::nullopt;
    return id;
  }
  friend constexpr bool operator==(const Id&, const Id&) noexcept = default;

 private:
  std::array<std::uint8_t, N> bytes_{};
};

// 16-byte trace identifier.
using TraceId = Id<16>;
// 8-byte span identifier.
using SpanId = Id<8>;

// The traceparent trace-flags byte.
struct TraceFlags {
  static constexpr std::uint8_t kSampled = 0x01;
  // Level 2: the trace id's right-most 7 bytes are random.
  static constexpr std::uint8_t kRandom = 0x02;

  std::uint8_t value = 0;

  // The caller may have recorded this trace (sampled flag).
  constexpr bool sampled() const noexcept { return (value & kSampled) != 0; }
  // The trace id is random (Level 2 random flag).
  constexpr bool random() const noexcept { return (value & kRandom) != 0; }
  friend constexpr bool operator==(TraceFlags, TraceFlags) noexcept = default;
};

}  // namespace blogtrace::telemetry
