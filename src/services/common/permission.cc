#include "services/common/permission.h"

namespace blogtrace::services {

bool Grants(Permission held, Permission needed) noexcept {
  return held == Permission::kWrite || needed == Permission::kRead;
}

}  // namespace blogtrace::services
