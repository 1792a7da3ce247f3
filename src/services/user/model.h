// User service domain: the requests it accepts and their validation (../shared/API.md "User
// service"). Pure functions, thread-safe.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "services/common/permission.h"
#include "services/common/validation.h"

namespace blogtrace::services::user {

inline constexpr std::size_t kMinUsernameLength = 3;
inline constexpr std::size_t kMaxUsernameLength = 64;
inline constexpr std::size_t kMinPasswordBytes = 8;
inline constexpr std::size_t kMaxPasswordBytes = 128;

// POST /users body, validated.
struct NewUser {
  std::string username;
  std::string password;
  Permission permission = Permission::kRead;
};

// A username and password as presented at login or to POST /users/verify; not validated against
// the creation rules (a name that could never exist simply fails to verify).
struct Credentials {
  std::string username;
  std::string password;
};

// A user as other services see it (never the password hash).
struct UserInfo {
  std::string id;
  std::string username;
  Permission permission = Permission::kRead;
  std::string created_at;  // RFC 3339, UTC
};

// 3-64 characters of [A-Za-z0-9_.-].
std::optional<FieldError> CheckUsername(std::string_view username);

// 8-128 bytes (any bytes: the JSON parser has already checked UTF-8).
std::optional<FieldError> CheckPassword(std::string_view password);

// Validates a POST /users body; unknown members and members a client may not set are ignored.
Validated<NewUser> ParseNewUser(const nlohmann::json& body);

// Validates a login or verify body: username and password must be JSON strings.
Validated<Credentials> ParseCredentials(const nlohmann::json& body);

// True when `credentials` could name a user at all (the creation rules hold), so callers can skip
// the store for hopeless names while still spending a dummy verification.
bool PlausibleCredentials(const Credentials& credentials);

// {"id", "username", "permission", "created_at"}.
nlohmann::json ToJson(const UserInfo& user);

// Reads ToJson's shape back (what the user service's clients receive).
Validated<UserInfo> UserInfoFromJson(const nlohmann::json& json);

}  // namespace blogtrace::services::user
