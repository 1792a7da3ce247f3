// Terminal views of traces for the CLI (`blogtrace traces`, `blogtrace trace <id>`): pure
// formatting functions from the query API's Jaeger JSON to text (unit-tested), and commands
// that fetch from a running collector's query address and print.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "common/config.h"

namespace blogtrace::collector {

// Search filters for ListTracesCommand (names as in GET /api/traces).
struct TraceSearch {
  std::string service;            // empty: every service
  std::string operation;          // needs service
  std::vector<std::string> tags;  // "key:value"
  std::string min_duration;       // Go duration, e.g. "100ms"; empty: none
  std::string max_duration;
  std::string lookback = "1h";  // Go duration or "2d"
  int limit = 20;
};

// The /api/traces request target for `search` (parameters percent-encoded).
std::string TraceSearchTarget(const TraceSearch& search);

// A table of traces from a /api/traces response (its "data" array), newest first: trace id,
// root service and operation, span count, duration, start (UTC), error count.
std::string FormatTraceList(const nlohmann::json& response);

// One trace (a Jaeger trace object) as an indented waterfall: a header line, then per span
// (children under parents, by start time) service, operation, duration, a timing bar, and an
// error mark with the status description.
std::string FormatTraceWaterfall(const nlohmann::json& trace);

// A duration given in microseconds for people: "850us", "12.35ms", "1.50s".
std::string FormatDurationMicros(std::int64_t micros);

// Fetches and prints recent traces; returns the exit code (0 ok, 1 on failure, message printed).
int ListTracesCommand(const HostPort& query_addr, const TraceSearch& filters, std::ostream& out);

// Fetches and prints one trace; returns the exit code (0 ok, 1 not found or failure).
int ShowTraceCommand(const HostPort& query_addr, std::string_view trace_id, std::ostream& out);

}  // namespace blogtrace::collector
