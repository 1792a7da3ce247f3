// Entry point of the embedded collector process (`blogtrace serve collector`).
#pragma once

#include "common/config.h"

namespace blogtrace::collector {

// Runs the OTLP receiver on config.collector_addr and the query API + viewer on
// config.query_addr until SIGINT or SIGTERM, then flushes the store. Reads the COLLECTOR_*
// variables (collector_options.h) from the process environment. Returns the process exit code:
// 0 after a clean stop, 2 for bad configuration, 1 when the store or an address cannot be opened.
int Run(const SystemConfig& config);

}  // namespace blogtrace::collector
