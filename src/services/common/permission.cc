#include "services/common/permission.h"

namespace blogtrace::services {

std::string_view PermissionName(Permission p) noexcept {
  return p == Permission::kWrite ? "WRITE" : "READ";
}

std::optional<Permission> ParsePermission(std::string_view text) noexcept {
  if (text == "READ") return Permission::kRead;
  if (text == "WRITE") return Permission::kWrite;
  return std::nullopt;
}

bool Grants(Permission held, Permission needed) noexcept {
  return held == Permission::kWrite || needed == Permission::kRead;
}

}  // namespace blogtrace::services
