// CollectorOptions: the embedded collector's configuration, read once at start from SystemConfig
// (addresses, DATA_DIR) and the collector's own variables (README):
//   COLLECTOR_RETENTION    how long traces are kept: a Go duration or "<n>d"/"<n>w" (default 168h)
//   COLLECTOR_MAX_BYTES    the span database's size limit in bytes, >= 1048576 (default 1073741824)
//   COLLECTOR_QUEUE_SPANS  spans the write queue may hold before 503, 1024..16777216 (default
//   131072)
#pragma once

#include <string>

#include "collector/receiver.h"
#include "collector/span_store.h"
#include "common/config.h"
#include "common/environment.h"
#include "common/result.h"

namespace blogtrace::collector {

struct CollectorOptions {
  HostPort collector_addr{"127.0.0.1", 4318};  // OTLP/HTTP receiver
  HostPort query_addr{"127.0.0.1", 16686};     // query API + viewer
  std::string data_dir = "./data";             // the database is data_dir/traces.db
  StoreOptions store;                          // path filled in by LoadCollectorOptions
  ReceiverOptions receiver;
};

// Combines `config` with the COLLECTOR_* variables of `env`; the error names the bad variable.
Result<CollectorOptions> LoadCollectorOptions(const SystemConfig& config, const Environment& env);

}  // namespace blogtrace::collector
