#include "test_keys.h"

#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cstdlib>
#include <iostream>

namespace blogtrace::auth::testing {
namespace {

KeyPair MustGenerate() {
  auto keys = GenerateKeyPair(2048);
  if (!keys.ok()) {
    std::cerr << "key generation failed: " << keys.error().message << "\n";
    std::abort();
  }
  return std::move(keys).value();
}

}  // namespace

const KeyPair& TestKeys() {
  static const KeyPair keys = MustGenerate();
  return keys;
}

const KeyPair& OtherKeys() {
  static const KeyPair keys = MustGenerate();
  return keys;
}

std::string PrivatePem(const KeyPair& keys) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_PrivateKey(bio.get(), keys.private_key(), nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(len));
}

std::string PublicDer(const KeyPair& keys) {
  unsigned char* der = nullptr;
  const int len = i2d_PUBKEY(keys.public_key(), &der);
  std::string out(reinterpret_cast<const char*>(der), static_cast<std::size_t>(len));
  OPENSSL_free(der);
  return out;
}

}  // namespace blogtrace::auth::testing
