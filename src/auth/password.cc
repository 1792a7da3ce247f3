#include "auth/password.h"

#include <sodium.h>

#include "auth/sodium_once.h"

namespace blogtrace::auth {
namespace {

constexpr std::string_view kArgon2idPrefix = "$argon2id$";

// A hash made with exactly the current parameters (of a password nobody has), so that
// DummyVerifyPassword does the same work as a real verification. password_test checks that its
// parameters match kArgon2OpsLimit/kArgon2MemLimitBytes; regenerate it when they change.
constexpr char kDummyHash[] =
    "$argon2id$v=19$m=65536,t=2,p=1$FEU03Y8WVI/Z4YqVP/weZA$"
    "lvrXWNziI3oozzqdz9en725WFrqeCSdqUnlklkkEMJ8";

}  // namespace

Result<std::string> HashPassword(std::string_view password) {
  if (!EnsureSodium()) return Error::Internal("libsodium cannot initialise");
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), kArgon2OpsLimit,
                            kArgon2MemLimitBytes, crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Error::Internal("password hashing failed (out of memory)");
  }
  return std::string(out);
}

bool VerifyPassword(std::string_view encoded_hash, std::string_view password) noexcept {
  if (!EnsureSodium()) return false;
  // Only Argon2id hashes of a sane length; libsodium needs a NUL-terminated string.
  if (encoded_hash.size() >= crypto_pwhash_STRBYTES ||
      encoded_hash.substr(0, kArgon2idPrefix.size()) != kArgon2idPrefix) {
    return false;
  }
  char hash[crypto_pwhash_STRBYTES] = {};
  encoded_hash.copy(hash, encoded_hash.size());
  return crypto_pwhash_str_verify(hash, password.data(), password.size()) == 0;
}

bool DummyVerifyPassword(std::string_view password) noexcept {
  // The result is discarded: only the time spent matters.
  (void)VerifyPassword(kDummyHash, password);
  return false;
}

std::string_view DummyPasswordHash() noexcept { return kDummyHash; }

bool PasswordNeedsRehash(std::string_view encoded_hash) noexcept {
  if (!EnsureSodium()) return true;
  if (encoded_hash.size() >= crypto_pwhash_STRBYTES ||
      encoded_hash.substr(0, kArgon2idPrefix.size()) != kArgon2idPrefix) {
    return true;
  }
  char hash[crypto_pwhash_STRBYTES] = {};
  encoded_hash.copy(hash, encoded_hash.size());
  return crypto_pwhash_str_needs_rehash(hash, kArgon2OpsLimit, kArgon2MemLimitBytes) != 0;
}

}  // namespace blogtrace::auth
