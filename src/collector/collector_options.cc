#include "collector/collector_options.h"

#include "collector/query_params.h"

namespace blogtrace::collector {

Result<CollectorOptions> LoadCollectorOptions(const SystemConfig& config, const Environment& env) {
  CollectorOptions options;
  options.collector_addr = config.collector_addr;
  options.query_addr = config.query_addr;
  options.data_dir = config.data_dir;
  options.store.path = config.data_dir + "/traces.db";
  if (auto v = env.Get("COLLECTOR_RETENTION")) {
    auto d = ParseLookback(*v);
    if (!d || d->count() <= 0) {
      return Error::BadRequest(
          "COLLECTOR_RETENTION must be a positive duration such as 168h, 7d or 1w, got '" + *v +
          "'");
    }
    options.store.retention = std::chrono::duration_cast<std::chrono::seconds>(*d);
    if (options.store.retention.count() == 0) options.store.retention = std::chrono::seconds(1);
  }
  if (auto v = env.Get("COLLECTOR_MAX_BYTES")) {
    auto n = ParseInteger(*v, 1 << 20, INT64_MAX);
    if (!n) {
      return Error::BadRequest("COLLECTOR_MAX_BYTES must be an integer >= 1048576, got '" + *v +
                               "'");
    }
    options.store.max_bytes = *n;
  }
  if (auto v = env.Get("COLLECTOR_QUEUE_SPANS")) {
    auto n = ParseInteger(*v, 1024, 1 << 24);
    if (!n) {
      return Error::BadRequest(
          "COLLECTOR_QUEUE_SPANS must be an integer from 1024 to 16777216, got '" + *v + "'");
    }
    options.store.max_queued_spans = static_cast<std::size_t>(*n);
  }
  return options;
}

}  // namespace blogtrace::collector
