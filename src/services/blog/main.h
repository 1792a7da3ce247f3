// RunBlogService: the blog service's wiring, what `blogtrace serve blog` runs.
#pragma once

#include "common/config.h"

namespace blogtrace::services::blog {

// Serves the blog service on its configured address until SIGINT/SIGTERM; returns the exit code
// (0 after a clean stop, 1 when it could not start, with the reason logged).
int RunBlogService(const SystemConfig& config);

}  // namespace blogtrace::services::blog
