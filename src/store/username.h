// Username comparison key: usernames match without regard to ASCII case (the contract allows
// only [A-Za-z0-9_.-], so ASCII folding is complete for valid names).
#pragma once

#include <string>
#include <string_view>

namespace blogtrace::store {

// `username` with ASCII letters lower-cased; other bytes unchanged.
std::string UsernameKey(std::string_view username);

}  // namespace blogtrace::store
