// Building responses and reading JSON bodies, the same way in every service. ErrorResponse is the
// one place where an Error becomes an HTTP status and body (../shared/API.md "Conventions").
#pragma once

#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "common/error.h"
#include "common/result.h"
#include "http/message.h"

namespace blogtrace::http {

// `status` with `body` serialised as JSON and Content-Type application/json: the bytes of
// body.dump(-1, ' ', false, error_handler_t::replace) (invalid UTF-8 becomes U+FFFD).
Response JsonResponse(unsigned status, const nlohmann::json& body);

// The status of `error.code` with {"error": "<code>", "message": "<message>"}. For
// kMethodNotAllowed pass the accepted methods in `allow` ("GET, HEAD"); it becomes the Allow
// header.
Response ErrorResponse(const Error& error, std::string_view allow = {});

// The request body as a JSON object. Errors (for ErrorResponse): 415 unsupported_media_type when
// Content-Type is not application/json (parameters such as charset are allowed); 400 bad_request
// when the body is empty, not UTF-8 (strict: no overlongs, surrogates or code points above
// U+10FFFF), not JSON, nested deeper than 64 levels, or not an object.
Result<nlohmann::json> ParseJsonBody(const Request& request);

// True when `text` is well-formed UTF-8 (RFC 3629).
bool IsValidUtf8(std::string_view text) noexcept;

}  // namespace blogtrace::http
