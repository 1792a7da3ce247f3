// The JWK Set the authen service publishes at /.well-known/jwks.json (RFC 7517, RFC 7518 6.3).
#pragma once

#include <nlohmann/json.hpp>

#include "auth/key_pair.h"

namespace blogtrace::auth {

// {"keys":[{"kty":"RSA","n":...,"e":...,"kid":...,"use":"sig","alg":"RS256"}]}; n and e are the
// big-endian unsigned integers without leading zero bytes, base64url. Never holds private parts.
nlohmann::json JwksDocument(const KeyPair& keys);

}  // namespace blogtrace::auth
