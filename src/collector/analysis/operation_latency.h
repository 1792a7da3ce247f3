// OperationLatency: how a span's duration compares with the recent spans of the same service and
// operation. `blogtrace why` uses it to say whether the slowest part of a trace is unusual
// ("p99 of its usual latency") rather than merely the largest.
//
// Two implementations: RecentSpansLatency (recent_spans_latency.h) searches the store's recent
// spans of the operation at question time; the metrics engineer's ingest-time histograms
// implement it without a search. Thread safety: implementations must be safe to call from any
// thread (query handlers run concurrently).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace blogtrace::collector::analysis {

class OperationLatency {
 public:
  virtual ~OperationLatency() = default;

  // The percentile (0..100) of `duration_ns` among recent spans of `service` and `operation`
  // (the span name): the share of them that were faster, counting equal ones half. nullopt when
  // no recent span of that operation is known.
  virtual std::optional<double> PercentileOf(std::string_view service, std::string_view operation,
                                             std::int64_t duration_ns) const = 0;

  // The duration (ns) at quantile `q` (0..1, e.g. 0.5 for the median) of those recent spans;
  // nullopt when none is known.
  virtual std::optional<std::int64_t> Quantile(std::string_view service, std::string_view operation,
                                               double q) const = 0;
};

}  // namespace blogtrace::collector::analysis
