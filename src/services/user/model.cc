#include "services/user/model.h"

namespace blogtrace::services::user {

std::optional<FieldError> CheckUsername(std::string_view username) {
  if (username.size() < kMinUsernameLength || username.size() > kMaxUsernameLength) {
    return FieldError{"username", "must be 3 to 64 characters"};
  }
  for (char c : username) {
    bool allowed = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                   c == '_' || c == '.' || c == '-';
    if (!allowed) return FieldError{"username", "may hold only letters, digits, '_', '.' and '-'"};
  }
  return std::nullopt;
}

std::optional<FieldError> CheckPassword(std::string_view password) {
  if (password.size() < kMinPasswordBytes || password.size() > kMaxPasswordBytes) {
    return FieldError{"password", "must be 8 to 128 bytes"};
  }
  return std::nullopt;
}

Validated<NewUser> ParseNewUser(const nlohmann::json& body) {
  auto username = RequireString(body, "username");
  if (!username) return username.error();
  auto password = RequireString(body, "password");
  if (!password) return password.error();
  auto permission_text = RequireString(body, "permission");
  if (!permission_text) return permission_text.error();
  if (auto e = CheckUsername(*username)) return *e;
  if (auto e = CheckPassword(*password)) return *e;
  auto permission = ParsePermission(*permission_text);
  if (!permission) return FieldError{"permission", "must be READ or WRITE"};
  return NewUser{std::move(*username), std::move(*password), *permission};
}

Validated<Credentials> ParseCredentials(const nlohmann::json& body) {
  auto username = RequireString(body, "username");
  if (!username) return username.error();
  auto password = RequireString(body, "password");
  if (!password) return password.error();
  return Credentials{std::move(*username), std::move(*password)};
}

bool PlausibleCredentials(const Credentials& credentials) {
  return !CheckUsername(credentials.username) && !CheckPassword(credentials.password);
}

nlohmann::json ToJson(const UserInfo& user) {
  return {{"id", user.id},
          {"username", user.username},
          {"permission", PermissionName(user.permission)},
          {"created_at", user.created_at}};
}

Validated<UserInfo> UserInfoFromJson(const nlohmann::json& json) {
  auto id = RequireString(json, "id");
  if (!id) return id.error();
  auto username = RequireString(json, "username");
  if (!username) return username.error();
  auto permission_text = RequireString(json, "permission");
  if (!permission_text) return permission_text.error();
  auto permission = ParsePermission(*permission_text);
  if (!permission) return FieldError{"permission", "must be READ or WRITE"};
  std::string created_at;
  if (auto it = json.find("created_at"); it != json.end() && it->is_string()) {
    created_at = it->get<std::string>();
  }
  return UserInfo{std::move(*id), std::move(*username), *permission, std::move(created_at)};
}

}  // namespace blogtrace::services::user
