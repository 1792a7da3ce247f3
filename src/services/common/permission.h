// Permission: what a user may do with blogs (../shared/API.md). The store's enum is the one
// domain type; this header adds the rule the author service applies.
#pragma once

#include "store/model.h"

namespace blogtrace::services {

using Permission = store::Permission;
using store::ParsePermission;
using store::PermissionName;

// True when a user holding `held` may do what needs `needed` (WRITE includes READ).
bool Grants(Permission held, Permission needed) noexcept;

}  // namespace blogtrace::services
