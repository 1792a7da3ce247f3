// Library-private: libsodium initialisation, once per process.
#pragma once

namespace blogtrace::auth {

// Calls sodium_init() once (thread-safe); false when libsodium cannot initialise.
bool EnsureSodium() noexcept;

}  // namespace blogtrace::auth
