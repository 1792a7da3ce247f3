// JwtSigner: issues the system's RS256 tokens (API.md "Authen service").
// Thread-safe: Sign may be called from many threads at once.
// Lifetime: keeps references to the KeyPair and the Clock, which must outlive it.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "auth/jwt_claims.h"
#include "auth/key_pair.h"
#include "common/clock.h"
#include "common/result.h"

namespace blogtrace::auth {

// Issues tokens with header {"alg":"RS256","typ":"JWT","kid":<keys.kid()>} and claims iss, aud
// (a string), sub, name, permission, iat, exp = iat + ttl, jti (128 random bits, new each call).
class JwtSigner {
 public:
  JwtSigner(const KeyPair& keys, std::chrono::seconds ttl, const Clock& clock,
            std::string issuer = std::string(kJwtIssuer),
            std::string audience = std::string(kJwtAudience));

  // A signed token. Error (kInternal) when the key pair has no private key, the subject is empty,
  // the permission is not READ or WRITE, the name is not UTF-8, or OpenSSL fails; the message
  // holds no key material.
  Result<std::string> Sign(std::string_view subject, std::string_view name,
                           std::string_view permission) const;

  // The lifetime of issued tokens (the login answer's expires_in).
  std::chrono::seconds ttl() const noexcept { return ttl_; }

 private:
  const KeyPair& keys_;
  std::chrono::seconds ttl_;
  const Clock& clock_;
  std::string issuer_;
  std::string audience_;
};

}  // namespace blogtrace::auth
