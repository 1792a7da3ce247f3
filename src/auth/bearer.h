// Parsing of the Authorization header (API.md "Author service"; RFC 6750 section 2.1).
#pragma once

#include <optional>
#include <string_view>

namespace blogtrace::auth {

// The token of an "Authorization: Bearer <token>" header value: the scheme "Bearer" in any case,
// exactly one space, then one non-empty token of RFC 6750 b64token characters
// (A-Z a-z 0-9 - . _ ~ + / then optional trailing '='), nothing after it. Anything else
// (another scheme, two spaces, a tab, a trailing space, two tokens) is nullopt.
// The result views into `authorization_header`.
std::optional<std::string_view> ParseBearer(std::string_view authorization_header) noexcept;

}  // namespace blogtrace::auth
