#include "store/model.h"

namespace blogtrace::store {

std::string_view PermissionName(Permission permission) noexcept {
  switch (permission) {
    case Permission::kRead:
      return "READ";
    case Permission::kWrite:
      return "WRITE";
  }
  return "READ";
}

std::optional<Permission> ParsePermission(std::string_view text) noexcept {
  if (text == "READ") {
    return Permission::kRead;
  }
  if (text == "WRITE") {
    return Permission::kWrite;
  }
  return std::nullopt;
}

}  // namespace blogtrace::store
