#include "auth/secure_compare.h"

#include <sodium.h>

#include "auth/sodium_once.h"

namespace blogtrace::auth {

bool ConstantTimeEquals(std::string_view a, std::string_view b) noexcept {
  // SHA-256 works without sodium_init, but initialise anyway: sodium picks its fast paths there.
  EnsureSodium();
  unsigned char da[crypto_hash_sha256_BYTES];
  unsigned char db[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(da, reinterpret_cast<const unsigned char*>(a.data()), a.size());
  crypto_hash_sha256(db, reinterpret_cast<const unsigned char*>(b.data()), b.size());
  return sodium_memcmp(da, db, sizeof da) == 0;
}

}  // namespace blogtrace::auth
