// RunAuthorService: the author service's wiring, what `blogtrace serve author` runs.
#pragma once

#include "common/config.h"

namespace blogtrace::services::author {

// Serves the author service on its configured address until SIGINT/SIGTERM; returns the exit code
// (0 after a clean stop, 1 when it could not start, with the reason logged).
int RunAuthorService(const SystemConfig& config);

}  // namespace blogtrace::services::author
