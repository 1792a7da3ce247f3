// Token crafting for tests of the author service's refusals: tokens signed with the system's own
// private key (read from DATA_DIR) but with chosen headers and claims, and the classic forgeries
// (alg none, HS256 keyed with the public key, a stranger's key).
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "auth/key_pair.h"

namespace blogtrace::testing {

// Decodes segment `index` (0 header, 1 payload) of a compact JWS as JSON (null when malformed).
nlohmann::json DecodeSegment(const std::string& token, int index);

class TokenForge {
 public:
  // Loads DATA_DIR/jwt-private.pem and generates a stranger key.
  explicit TokenForge(const std::string& data_dir);

  bool ok() const { return keys_.has_value() && stranger_.has_value(); }
  // The system key's kid.
  std::string kid() const;

  // RS256 with the system's private key over exactly these header and claims.
  std::string Sign(const nlohmann::json& header, const nlohmann::json& claims) const;
  // RS256 with a freshly generated key that is not the system's.
  std::string SignWithStrangerKey(const nlohmann::json& header, const nlohmann::json& claims) const;
  // The stranger key as a public JWK (for "jwk" header attacks).
  nlohmann::json StrangerJwk() const;
  // "<header>.<claims>." with no signature.
  std::string Unsigned(const nlohmann::json& header, const nlohmann::json& claims) const;
  // HMAC-SHA256 keyed with the system's public key PEM (the algorithm-confusion attack).
  std::string Hs256WithPublicKey(const nlohmann::json& header, const nlohmann::json& claims) const;
  // A correctly signed READ token whose payload was then changed to WRITE.
  std::string Tampered(const nlohmann::json& header, const nlohmann::json& claims) const;

 private:
  std::optional<auth::KeyPair> keys_;
  std::optional<auth::KeyPair> stranger_;
};

}  // namespace blogtrace::testing
