// Permission: what a user may do with blogs (../shared/API.md). WRITE includes READ.
#pragma once

#include <optional>
#include <string_view>

namespace blogtrace::services {

enum class Permission { kRead, kWrite };

// The wire name: "READ" or "WRITE".
std::string_view PermissionName(Permission p) noexcept;

// Parses the wire name exactly ("READ", "WRITE"); nullopt for anything else.
std::optional<Permission> ParsePermission(std::string_view text) noexcept;

// True when a user holding `held` may do what needs `needed` (WRITE includes READ).
bool Grants(Permission held, Permission needed) noexcept;

}  // namespace blogtrace::services
