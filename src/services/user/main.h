// RunUserService: the user service's wiring, what `blogtrace serve user` runs.
#pragma once

#include "common/config.h"

namespace blogtrace::services::user {

// Serves the user service on its configured address until SIGINT/SIGTERM; returns the exit code
// (0 after a clean stop, 1 when it could not start, with the reason logged).
int RunUserService(const SystemConfig& config);

}  // namespace blogtrace::services::user
