// What `blogtrace up` prints once everything answers: where each process listens, the viewer,
// the secrets' files, and a ready-to-paste curl walkthrough of the contract. Pure functions.
#pragma once

#include <string>

#include "common/config.h"

namespace blogtrace::cli {

// The addresses, the viewer URL and the files under DATA_DIR.
std::string SystemSummary(const SystemConfig& config);

// A curl session: create a READ and a WRITE user, log both in, create, list and read a blog, and
// the 401/403 refusals. Runs as pasted into bash (needs only curl and sed).
std::string CurlWalkthrough(const SystemConfig& config);

}  // namespace blogtrace::cli
