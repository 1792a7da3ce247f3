// Comparison of secrets (admin and internal keys) in time independent of their content.
#pragma once

#include <string_view>

namespace blogtrace::auth {

// True when a == b. Both are hashed with SHA-256 and the digests compared in constant time, so
// neither the position of the first difference nor the expected secret's length shows in the
// time taken. Thread-safe.
bool ConstantTimeEquals(std::string_view a, std::string_view b) noexcept;

}  // namespace blogtrace::auth
