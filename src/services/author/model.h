// Author service domain: the authorisation request and answer (../shared/API.md "Author
// service"). Pure functions, thread-safe.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "services/common/permission.h"
#include "services/common/validation.h"

namespace blogtrace::services::author {

// Who the caller is and what the token grants, once the token checked out.
struct Authorization {
  std::string user_id;
  std::string username;
  Permission permission = Permission::kRead;  // what the token holds
};

// The permission asked for in a POST /authorize body: "READ" or "WRITE"; missing or anything
// else is a FieldError.
Validated<Permission> ParseAuthorizeRequest(const nlohmann::json& body);

// {"allowed": true, "user": {"id", "username", "permission"}}.
nlohmann::json ToJson(const Authorization& authorization);

// Reads ToJson's shape back (what the author service's clients receive).
Validated<Authorization> AuthorizationFromJson(const nlohmann::json& json);

}  // namespace blogtrace::services::author
