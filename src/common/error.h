// Errors as values from the contract's closed set (../shared/API.md "Conventions").
// The HTTP layer maps them to status codes and JSON bodies in exactly one place
// (`ErrorResponse` in http/response.h); everything below it only creates them.
#pragma once

#include <string>
#include <string_view>

namespace blogtrace {

// The contract's error codes. The enumerator order carries no meaning.
enum class ErrorCode {
  kBadRequest,            // 400 bad_request
  kUnauthorized,          // 401 unauthorized
  kForbidden,             // 403 forbidden
  kNotFound,              // 404 not_found
  kMethodNotAllowed,      // 405 method_not_allowed
  kConflict,              // 409 conflict
  kPayloadTooLarge,       // 413 payload_too_large
  kUnsupportedMediaType,  // 415 unsupported_media_type
  kHeadersTooLarge,       // 431 headers_too_large
  kInternal,              // 500 internal
  kUnavailable,           // 503 unavailable: a dependency did not answer in time
};

// The wire name of a code ("bad_request", ...).
std::string_view ErrorCodeName(ErrorCode code) noexcept;

// The HTTP status a code maps to.
int ErrorCodeStatus(ErrorCode code) noexcept;

// An error: a code from the closed set and a message meant for a person. Messages never hold
// secrets, stack traces or internal paths: they reach clients as they are.
struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;

  static Error BadRequest(std::string msg) { return {ErrorCode::kBadRequest, std::move(msg)}; }
  static Error Unauthorized(std::string msg) { return {ErrorCode::kUnauthorized, std::move(msg)}; }
  static Error Forbidden(std::string msg) { return {ErrorCode::kForbidden, std::move(msg)}; }
  static Error NotFound(std::string msg) { return {ErrorCode::kNotFound, std::move(msg)}; }
  static Error Conflict(std::string msg) { return {ErrorCode::kConflict, std::move(msg)}; }
  static Error Internal(std::string msg) { return {ErrorCode::kInternal, std::move(msg)}; }
  static Error Unavailable(std::string msg) { return {ErrorCode::kUnavailable, std::move(msg)}; }
};

}  // namespace blogtrace
