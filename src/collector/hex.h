// Hex and base64 helpers for trace/span ids and binary attribute values.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace blogtrace::collector {

// Lower-case hex of raw bytes.
std::string ToHex(std::string_view bytes);
// Raw bytes of a hex string (either case, even length); nullopt when not hex.
std::optional<std::string> FromHex(std::string_view hex);
// Standard base64 with padding (RFC 4648 section 4).
std::string Base64Encode(std::string_view bytes);
// Decodes standard or URL-safe base64, padding optional; nullopt when malformed.
std::optional<std::string> Base64Decode(std::string_view text);

}  // namespace blogtrace::collector
