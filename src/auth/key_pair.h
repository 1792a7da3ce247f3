// KeyPair: the RSA key that signs (authen) or verifies (author, blog) the service tokens, and the
// functions that load it from PEM files or generate it once under DATA_DIR.
//
// Thread safety: a KeyPair is immutable after construction; its keys may be used for signing and
// verifying from many threads at once (OpenSSL 3 allows concurrent use of a const EVP_PKEY).
#pragma once

#include <openssl/evp.h>

#include <string>

#include "auth/openssl_ptr.h"
#include "common/config.h"
#include "common/result.h"

namespace blogtrace::auth {

// The smallest RSA modulus we accept, and the size we generate.
inline constexpr int kMinRsaBits = 2048;
inline constexpr int kGeneratedRsaBits = 2048;

// An RSA public key and, for a signer, its private key. Move-only; owns both EVP_PKEYs.
class KeyPair {
 public:
  // Wraps a private key (its public half is derived). Error when not RSA or under kMinRsaBits.
  static Result<KeyPair> FromPrivateKey(PkeyPtr private_key);
  // Wraps the public half of `public_key` only (a verifier). Error when not RSA or under
  // kMinRsaBits.
  static Result<KeyPair> FromPublicKey(PkeyPtr public_key);

  KeyPair(KeyPair&&) noexcept = default;
  KeyPair& operator=(KeyPair&&) noexcept = default;

  // True when this pair can sign.
  bool has_private_key() const noexcept { return private_key_ != nullptr; }
  // The private key, or null for a verify-only pair. Owned by this KeyPair.
  EVP_PKEY* private_key() const noexcept { return private_key_.get(); }
  // The public key (never null). Owned by this KeyPair.
  EVP_PKEY* public_key() const noexcept { return public_key_.get(); }
  // RFC 7638 JWK SHA-256 thumbprint of the public key, base64url: the tokens' `kid`.
  const std::string& kid() const noexcept { return kid_; }
  // Modulus size in bits.
  int bits() const noexcept { return bits_; }
  // Signature size in bytes (the modulus size: 256 for 2048 bits).
  int signature_size() const noexcept { return (bits_ + 7) / 8; }
  // Big-endian modulus and public exponent, without leading zero bytes.
  const std::string& modulus() const noexcept { return n_; }
  const std::string& exponent() const noexcept { return e_; }
  // The public key as SubjectPublicKeyInfo PEM ("BEGIN PUBLIC KEY").
  std::string PublicKeyPem() const;
  // A verify-only copy (same kid), for services that must not hold the private key.
  Result<KeyPair> PublicOnly() const;

 private:
  KeyPair() = default;
  static Result<KeyPair> Build(PkeyPtr private_key, PkeyPtr public_key);

  PkeyPtr private_key_;
  PkeyPtr public_key_;
  std::string kid_;
  std::string n_;
  std::string e_;
  int bits_ = 0;
};

// The key pair of the system, following the contract (API.md, JWT_PRIVATE_KEY/JWT_PUBLIC_KEY):
// - config.jwt_private_key_path set: load it (and config.jwt_public_key_path when set, which must
//   hold the same key's public half);
// - only config.jwt_public_key_path set: a verify-only pair;
// - neither: DATA_DIR/jwt-private.pem (mode 0600) and DATA_DIR/jwt-public.pem, generated with
//   OpenSSL on first start and reused after. Safe when several processes start at once: the key
//   is written to a private temp file and link()ed into place, so exactly one key wins and every
//   process uses that one.
// Errors (kInternal) name the file and say what is wrong: missing, unreadable, not PEM, not
// RSA, under 2048 bits, public key not matching the private. They never hold key material.
Result<KeyPair> LoadOrGenerateKeyPair(const SystemConfig& config);

// Loads a private key PEM (PKCS#8 or PKCS#1, unencrypted) from `path`.
Result<KeyPair> LoadPrivateKey(const std::string& path);

// Loads a public key PEM ("BEGIN PUBLIC KEY" or "BEGIN RSA PUBLIC KEY") from `path`, for a
// verifier that only has the public key.
Result<KeyPair> LoadPublicKey(const std::string& path);

// Generates a fresh RSA key of `bits` bits (no files involved).
Result<KeyPair> GenerateKeyPair(int bits = kGeneratedRsaBits);

}  // namespace blogtrace::auth
