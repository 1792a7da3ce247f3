#include "services/author/model.h"

namespace blogtrace::services::author {

Validated<Permission> ParseAuthorizeRequest(const nlohmann::json& body) {
  auto text = RequireString(body, "permission");
  if (!text) return text.error();
  auto permission = ParsePermission(*text);
  if (!permission) return FieldError{"permission", "must be READ or WRITE"};
  return *permission;
}

nlohmann::json ToJson(const Authorization& authorization) {
  return {{"allowed", true},
          {"user",
           {{"id", authorization.user_id},
            {"username", authorization.username},
            {"permission", PermissionName(authorization.permission)}}}};
}

Validated<Authorization> AuthorizationFromJson(const nlohmann::json& json) {
  if (!json.is_object() || !json.contains("user")) return FieldError{"user", "is required"};
  const auto& user = json["user"];
  auto id = RequireString(user, "id");
  if (!id) return id.error();
  auto username = RequireString(user, "username");
  if (!username) return username.error();
  auto permission_text = RequireString(user, "permission");
  if (!permission_text) return permission_text.error();
  auto permission = ParsePermission(*permission_text);
  if (!permission) return FieldError{"permission", "must be READ or WRITE"};
  return Authorization{std::move(*id), std::move(*username), *permission};
}

}  // namespace blogtrace::services::author
