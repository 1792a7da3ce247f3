#include "auth/key_pair.h"

#include <openssl/core_names.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <vector>

#include "auth/base64url.h"

namespace blogtrace::auth {
namespace {

// The big-endian bytes of an RSA parameter (n or e), without leading zeros.
std::string BignumParam(EVP_PKEY* key, const char* name) {
  BIGNUM* raw = nullptr;
  if (EVP_PKEY_get_bn_param(key, name, &raw) != 1) return {};
  BignumPtr bn(raw);
  std::string out(static_cast<std::size_t>(BN_num_bytes(bn.get())), '\0');
  BN_bn2bin(bn.get(), reinterpret_cast<unsigned char*>(out.data()));
  return out;
}

// A public-only copy of `key` (SubjectPublicKeyInfo round trip).
PkeyPtr PublicOnlyCopy(EVP_PKEY* key) {
  unsigned char* der = nullptr;
  const int len = i2d_PUBKEY(key, &der);
  if (len <= 0) return nullptr;
  const unsigned char* p = der;
  PkeyPtr copy(d2i_PUBKEY(nullptr, &p, len));
  OPENSSL_free(der);
  return copy;
}

// RFC 7638: SHA-256 over the required members in lexicographic order, no whitespace.
std::string Thumbprint(const std::string& n, const std::string& e) {
  const std::string canonical =
      R"({"e":")" + Base64UrlEncode(e) + R"(","kty":"RSA","n":")" + Base64UrlEncode(n) + R"("})";
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_Digest(canonical.data(), canonical.size(), digest, &size, EVP_sha256(), nullptr) != 1) {
    return {};
  }
  return Base64UrlEncode(std::string_view(reinterpret_cast<const char*>(digest), size));
}

}  // namespace

Result<KeyPair> KeyPair::FromPrivateKey(PkeyPtr private_key) {
  if (!private_key) return Error::Internal("no private key");
  PkeyPtr public_key = PublicOnlyCopy(private_key.get());
  if (!public_key) return Error::Internal("cannot derive the public key");
  return Build(std::move(private_key), std::move(public_key));
}

Result<KeyPair> KeyPair::FromPublicKey(PkeyPtr public_key) {
  if (!public_key) return Error::Internal("no public key");
  // Keep only the public half, whatever the caller passed.
  PkeyPtr public_only = PublicOnlyCopy(public_key.get());
  if (!public_only) return Error::Internal("not a public key");
  return Build(nullptr, std::move(public_only));
}

Result<KeyPair> KeyPair::Build(PkeyPtr private_key, PkeyPtr public_key) {
  EVP_PKEY* key = public_key.get();
  if (EVP_PKEY_is_a(key, "RSA") != 1) return Error::Internal("not an RSA key");
  const int bits = EVP_PKEY_get_bits(key);
  if (bits < kMinRsaBits) {
    return Error::Internal("RSA key of " + std::to_string(bits) + " bits is too small (minimum " +
                           std::to_string(kMinRsaBits) + ")");
  }
  KeyPair pair;
  pair.n_ = BignumParam(key, OSSL_PKEY_PARAM_RSA_N);
  pair.e_ = BignumParam(key, OSSL_PKEY_PARAM_RSA_E);
  if (pair.n_.empty() || pair.e_.empty()) return Error::Internal("cannot read the RSA parameters");
  pair.kid_ = Thumbprint(pair.n_, pair.e_);
  if (pair.kid_.empty()) return Error::Internal("cannot compute the key id");
  pair.bits_ = bits;
  pair.private_key_ = std::move(private_key);
  pair.public_key_ = std::move(public_key);
  return pair;
}

std::string KeyPair::PublicKeyPem() const {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PUBKEY(bio.get(), public_key_.get()) != 1) return {};
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(len));
}

Result<KeyPair> KeyPair::PublicOnly() const {
  return FromPublicKey(PublicOnlyCopy(public_key_.get()));
}

Result<KeyPair> GenerateKeyPair(int bits) {
  if (bits < kMinRsaBits) return Error::Internal("refusing to generate an RSA key under 2048 bits");
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr));
  if (!ctx || EVP_PKEY_keygen_init(ctx.get()) != 1 ||
      EVP_PKEY_CTX_set_rsa_keygen_bits(ctx.get(), bits) != 1) {
    return Error::Internal("cannot set up RSA key generation");
  }
  EVP_PKEY* raw = nullptr;
  if (EVP_PKEY_generate(ctx.get(), &raw) != 1) return Error::Internal("RSA key generation failed");
  return KeyPair::FromPrivateKey(PkeyPtr(raw));
}

}  // namespace blogtrace::auth
