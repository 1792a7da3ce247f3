#include "auth/sodium_once.h"

#include <sodium.h>

namespace blogtrace::auth {

bool EnsureSodium() noexcept {
  // A function-local static is initialised exactly once even under concurrent first calls.
  static const bool ok = sodium_init() >= 0;
  return ok;
}

}  // namespace blogtrace::auth
