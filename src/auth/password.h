// Password hashing with Argon2id (libsodium crypto_pwhash, RFC 9106), for the user service.
// Parameters: t = 2 passes, m = 64 MiB, p = 1 (libsodium's crypto_pwhash_*_INTERACTIVE; p is
// fixed at 1 by libsodium): the same passes as OWASP's minimum (m = 19 MiB, t = 2, p = 1) with
// over three times its memory. Encoded as the PHC string "$argon2id$v=19$m=65536,t=2,p=1$..."
// so parameters can be raised later without breaking stored hashes (see PasswordNeedsRehash).
// Thread-safe: every function may be called from many threads at once; each hash or verify
// allocates 64 MiB for its duration.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"

namespace blogtrace::auth {

// The parameters HashPassword uses.
inline constexpr std::uint64_t kArgon2OpsLimit = 2;
inline constexpr std::size_t kArgon2MemLimitBytes = std::size_t{64} * 1024 * 1024;

// A fresh salted Argon2id hash of `password`, encoded ("$argon2id$..."). Error (kInternal) when
// libsodium cannot initialise or the memory cannot be allocated.
Result<std::string> HashPassword(std::string_view password);

// True when `password` matches `encoded_hash`. False (never a crash) for a malformed hash or one
// that is not Argon2id.
bool VerifyPassword(std::string_view encoded_hash, std::string_view password) noexcept;

// Costs the same time as VerifyPassword on a real hash and always returns false: call it when the
// user is unknown so that the answer time does not reveal whether the user exists.
bool DummyVerifyPassword(std::string_view password) noexcept;

// The fixed hash DummyVerifyPassword checks against (made with the current parameters, of a
// password nobody has); exposed so tests can check its parameters.
std::string_view DummyPasswordHash() noexcept;

// True when `encoded_hash` was made with other parameters than the current ones (re-hash it at
// the next successful login).
bool PasswordNeedsRehash(std::string_view encoded_hash) noexcept;

}  // namespace blogtrace::auth
