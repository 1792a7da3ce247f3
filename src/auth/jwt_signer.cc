#include "auth/jwt_signer.h"

#include <openssl/rand.h>

#include <nlohmann/json.hpp>

#include "auth/base64url.h"
#include "auth/jws.h"

namespace blogtrace::auth {

JwtSigner::JwtSigner(const KeyPair& keys, std::chrono::seconds ttl, const Clock& clock,
                     std::string issuer, std::string audience)
    : keys_(keys),
      ttl_(ttl),
      clock_(clock),
      issuer_(std::move(issuer)),
      audience_(std::move(audience)) {}

Result<std::string> JwtSigner::Sign(std::string_view subject, std::string_view name,
                                    std::string_view permission) const {
  if (!keys_.has_private_key()) return Error::Internal("the token key pair has no private key");
  // Never issue a token the verifier would refuse.
  if (subject.empty() || (permission != "READ" && permission != "WRITE")) {
    return Error::Internal("cannot issue a token without a subject and a READ/WRITE permission");
  }
  unsigned char id[16];
  if (RAND_bytes(id, sizeof id) != 1) return Error::Internal("no randomness for the token id");
  const std::int64_t iat =
      std::chrono::duration_cast<std::chrono::seconds>(clock_.Now().time_since_epoch()).count();
  // ordered_json keeps the members in the order written, which reads naturally when decoded.
  const nlohmann::ordered_json header = {{"alg", "RS256"}, {"typ", "JWT"}, {"kid", keys_.kid()}};
  const nlohmann::ordered_json payload = {
      {"iss", issuer_},
      {"aud", audience_},
      {"sub", subject},
      {"name", name},
      {"permission", permission},
      {"iat", iat},
      {"exp", iat + ttl_.count()},
      {"jti", Base64UrlEncode(std::string_view(reinterpret_cast<const char*>(id), sizeof id))},
  };
  try {
    return SignRs256Compact(keys_, header.dump(), payload.dump());
  } catch (const nlohmann::json::exception&) {
    // dump() throws on invalid UTF-8 in a name: refuse rather than issue a broken token.
    return Error::Internal("token claims are not valid UTF-8");
  }
}

}  // namespace blogtrace::auth
