// Key pairs shared by the auth tests: RSA generation is slow, so each is made once per process.
#pragma once

#include <string>

#include "auth/key_pair.h"

namespace blogtrace::auth::testing {

// The key pair the tests' signer and verifier use.
const KeyPair& TestKeys();
// Another key pair: the attacker's, or "another service's".
const KeyPair& OtherKeys();
// PEM of a pair's private key (PKCS#8).
std::string PrivatePem(const KeyPair& keys);
// DER (SubjectPublicKeyInfo) of a pair's public key.
std::string PublicDer(const KeyPair& keys);

}  // namespace blogtrace::auth::testing
