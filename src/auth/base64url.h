// base64url without padding (RFC 4648 section 5, as JWS uses it: RFC 7515 section 2).
// Decoding is strict: only the URL-safe alphabet, no padding, no whitespace, no leftover length
// of 1 mod 4, and unused trailing bits must be zero, so every byte string has exactly one
// accepted encoding.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace blogtrace::auth {

// Encodes bytes as unpadded base64url.
std::string Base64UrlEncode(std::string_view bytes);

// Decodes strict unpadded base64url; nullopt on any deviation. The empty string decodes to "".
std::optional<std::string> Base64UrlDecode(std::string_view text);

}  // namespace blogtrace::auth
