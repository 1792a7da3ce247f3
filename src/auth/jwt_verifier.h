// JwtVerifier: checks a token against the rules of API.md "Author service". Every refusal has a
// machine-readable JwtFailure (for spans); the Error handed to clients is generic and never
// repeats the token.
// Thread-safe: Verify may be called from many threads at once.
// Lifetime: keeps references to the KeyPair and the Clock, which must outlive it.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <variant>

#include "auth/jwt_claims.h"
#include "auth/key_pair.h"
#include "common/clock.h"
#include "common/error.h"
#include "common/result.h"

namespace blogtrace::auth {

// Tokens longer than this are refused as malformed before any parsing.
inline constexpr std::size_t kMaxTokenBytes = std::size_t{8} * 1024;
// The most clock leeway the contract allows.
inline constexpr std::chrono::seconds kMaxLeeway{60};

// The outcome of Verify: the claims, or why the token was refused.
class JwtVerifyResult {
 public:
  JwtVerifyResult(Claims claims) : v_(std::move(claims)) {}  // NOLINT: implicit on purpose
  JwtVerifyResult(JwtFailure failure) : v_(failure) {}       // NOLINT

  bool ok() const noexcept { return v_.index() == 0; }
  explicit operator bool() const noexcept { return ok(); }
  // Precondition: ok().
  const Claims& claims() const& { return std::get<0>(v_); }
  Claims&& claims() && { return std::get<0>(std::move(v_)); }
  // Precondition: !ok().
  JwtFailure failure() const { return std::get<1>(v_); }
  // JwtFailureName(failure()). Precondition: !ok().
  std::string_view reason() const { return JwtFailureName(failure()); }
  // The client-facing error: kUnauthorized with a generic message. Precondition: !ok().
  Error error() const { return Error::Unauthorized("invalid or expired token"); }
  // As a Result (the failure reason is dropped).
  Result<Claims> ToResult() const& {
    if (ok()) return claims();
    return error();
  }

 private:
  std::variant<Claims, JwtFailure> v_;
};

// Options of a verifier; the defaults are the contract's.
struct JwtVerifierOptions {
  std::string issuer = std::string(kJwtIssuer);
  std::string audience = std::string(kJwtAudience);
  // Clamped to [0, kMaxLeeway].
  std::chrono::seconds leeway = kMaxLeeway;
};

// Verifies RS256 tokens signed by `keys` (only its public key is used). The rules: exactly three
// strict base64url segments, at most kMaxTokenBytes; header and payload JSON objects; alg exactly
// RS256; typ, when present, "JWT"; no crit; kid equal to keys.kid(); jku/x5u/x5c/jwk are ignored
// (never fetched, never trusted); a PKCS#1 v1.5 SHA-256 signature of the modulus' exact length;
// then the claims: exp required and numeric (expired when now >= exp + leeway, RFC 7519 4.1.4),
// nbf > now + leeway refused, iat required and not after now + leeway, iss and aud ours (aud a
// string or an array holding ours), sub a non-empty string, name a string, permission READ or
// WRITE, jti a string when present.
class JwtVerifier {
 public:
  JwtVerifier(const KeyPair& keys, const Clock& clock, JwtVerifierOptions options = {});

  // Checks `token` (the compact serialisation, nothing around it). Never throws.
  JwtVerifyResult Verify(std::string_view token) const noexcept;

 private:
  const KeyPair& keys_;
  const Clock& clock_;
  JwtVerifierOptions options_;
};

}  // namespace blogtrace::auth
