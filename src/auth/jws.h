// RS256 JWS compact serialisation primitives (RFC 7515 section 7.1, RFC 7518 section 3.3):
// RSASSA-PKCS1-v1_5 with SHA-256 over "<b64url(header)>.<b64url(payload)>". JwtSigner and
// JwtVerifier build on these; tests use SignRs256Compact to craft tokens with chosen headers.
// Thread-safe: no shared state.
#pragma once

#include <string>
#include <string_view>

#include "auth/key_pair.h"
#include "common/result.h"

namespace blogtrace::auth {

// Signs raw header and payload JSON texts with keys.private_key(); returns the compact token.
// Error (kInternal) when the pair has no private key or OpenSSL fails.
Result<std::string> SignRs256Compact(const KeyPair& keys, std::string_view header_json,
                                     std::string_view payload_json);

// Signs `signing_input` with RS256; returns the raw signature bytes.
Result<std::string> SignRs256(EVP_PKEY* private_key, std::string_view signing_input);

// True when `signature` (raw bytes) is a valid RS256 signature of `signing_input` under
// `public_key`, and exactly EVP_PKEY_get_size(public_key) bytes long.
bool VerifyRs256(EVP_PKEY* public_key, std::string_view signing_input,
                 std::string_view signature) noexcept;

}  // namespace blogtrace::auth
