// libmongoc errors (error API version 2) as span error types and contract errors.
#pragma once

#include <bson/bson.h>

#include <string>
#include <string_view>

#include "common/error.h"

namespace blogtrace::store::mongo {

// The server's duplicate-key error code.
inline constexpr std::uint32_t kDuplicateKey = 11000;

// error.type for a span: the server's numeric code (e.g. "11000") for server errors, otherwise
// the client-side domain ("server_selection", "stream", "write_concern", ...) and code.
std::string ErrorType(const bson_error_t& error);

// The contract error: a duplicate key is kConflict (conflict_message); no reachable server, a
// broken connection or an unconfirmed write concern is kUnavailable; the rest kInternal.
// Messages hold no URIs or values.
Error ToError(const bson_error_t& error, std::string_view conflict_message);

}  // namespace blogtrace::store::mongo
