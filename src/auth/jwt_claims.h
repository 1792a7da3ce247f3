// The claims of the system's tokens (API.md "Authen service") and the closed set of reasons a
// token is refused, machine-readable so the author service can put them on spans.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace blogtrace::auth {

// The issuer and audience of every token the system issues and accepts.
inline constexpr std::string_view kJwtIssuer = "blog-authen";
inline constexpr std::string_view kJwtAudience = "blog";

// Verified claims of a token. Times are seconds since the Unix epoch.
struct Claims {
  std::string sub;         // user id, non-empty
  std::string name;        // username
  std::string permission;  // "READ" or "WRITE"
  std::string iss;         // "blog-authen"
  std::string aud;         // "blog" (the audience we matched, also when the token held an array)
  std::string jti;         // token id; empty when the token had none
  std::int64_t iat = 0;
  std::int64_t exp = 0;
  std::optional<std::int64_t> nbf;
};

// Why a token was refused. Every one maps to 401 unauthorized.
enum class JwtFailure {
  kMalformed,       // not three strict base64url segments of JSON objects, or over the size cap
  kBadAlgorithm,    // alg missing or anything but RS256 (none, HS256, RS384, PS256, ES256...)
  kBadSignature,    // signature wrong, of the wrong length, or from another key
  kExpired,         // now >= exp + leeway
  kNotYetValid,     // nbf > now + leeway
  kIssuedInFuture,  // iat > now + leeway
  kMissingExp,      // no exp claim
  kWrongIssuer,     // iss missing or not ours
  kWrongAudience,   // aud missing, or neither "blog" nor an array containing it
  kUnknownKid,      // kid missing or not our key's
  kCritHeader,      // a crit header: we understand no extensions
  kBadClaims,       // a claim of the wrong type or value (string exp, empty sub, bad permission)
};

// The snake_case name of a failure ("malformed", "bad_algorithm", "bad_signature", "expired",
// "not_yet_valid", "issued_in_future", "missing_exp", "wrong_issuer", "wrong_audience",
// "unknown_kid", "crit_header", "bad_claims"), for span attributes and logs.
std::string_view JwtFailureName(JwtFailure failure) noexcept;

}  // namespace blogtrace::auth
