#include "auth/jwks.h"

#include "auth/base64url.h"

namespace blogtrace::auth {

nlohmann::json JwksDocument(const KeyPair& keys) {
  nlohmann::json key = {
      {"kty", "RSA"},
      {"n", Base64UrlEncode(keys.modulus())},
      {"e", Base64UrlEncode(keys.exponent())},
      {"kid", keys.kid()},
      {"use", "sig"},
      {"alg", "RS256"},
  };
  return nlohmann::json{{"keys", nlohmann::json::array({std::move(key)})}};
}

}  // namespace blogtrace::auth
