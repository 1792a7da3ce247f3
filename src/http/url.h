// Request-target helpers (RFC 3986 percent-encoding, application/x-www-form-urlencoded queries).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "http/request_context.h"

namespace blogtrace::http {

// Decodes %XX escapes; with `plus_is_space` also '+' (query strings). nullopt on a bad escape.
std::optional<std::string> PercentDecode(std::string_view text, bool plus_is_space);

// Encodes everything but RFC 3986 unreserved characters.
std::string PercentEncode(std::string_view text);

// Splits a request target into its path and query ("/a?b=c" → "/a", "b=c").
std::pair<std::string_view, std::string_view> SplitTarget(std::string_view target) noexcept;

// Parses "a=1&b=x%20y&c" into pairs (c → ""). Pairs with a bad escape are dropped.
Params ParseQuery(std::string_view query);

}  // namespace blogtrace::http
