// RunAuthenService: the authen service's wiring, what `blogtrace serve authen` runs.
#pragma once

#include "common/config.h"

namespace blogtrace::services::authen {

// Serves the authen service on its configured address until SIGINT/SIGTERM; returns the exit code
// (0 after a clean stop, 1 when it could not start, with the reason logged).
int RunAuthenService(const SystemConfig& config);

}  // namespace blogtrace::services::authen
