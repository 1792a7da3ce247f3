// QueryApi: the Jaeger-compatible query API (../shared/API.md "Trace query API",
// ../shared/JAEGER-API.md) as pure request → response functions over a SpanStore, so every
// endpoint is testable without a socket. The HTTP wiring (query_server.h) routes to these.
// Thread-safe: handlers may run concurrently (the store is thread-safe).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "collector/query_params.h"
#include "collector/span_store.h"
#include "common/clock.h"

namespace blogtrace::collector {

// A response: status, JSON body (always application/json).
struct ApiResponse {
  int status = 200;
  std::string body;
};

class QueryApi {
 public:
  // `store` and `clock` are not owned and must outlive this object.
  QueryApi(SpanStore& store, const Clock& clock) : store_(store), clock_(clock) {}

  // Routes a GET of `path` (decoded, without the query) with `query` to an endpoint below;
  // nullopt when the path is not an API path (the caller serves the viewer or 404).
  std::optional<ApiResponse> Dispatch(std::string_view path, const QueryString& query);

  // Classic (v1) endpoints, envelope {"data", "total", "limit", "offset", "errors"}.
  ApiResponse Services();                                   // GET /api/services
  ApiResponse ServiceOperations(std::string_view service);  // GET /api/services/{s}/operations
  ApiResponse Operations(const QueryString& query);         // GET /api/operations
  ApiResponse SearchTraces(const QueryString& query);       // GET /api/traces
  ApiResponse GetTrace(std::string_view trace_id);          // GET /api/traces/{id}
  ApiResponse Dependencies(const QueryString& query);       // GET /api/dependencies

  // api_v3 endpoints (proto-JSON shapes).
  ApiResponse V3Services();                                // GET /api/v3/services
  ApiResponse V3Operations(const QueryString& query);      // GET /api/v3/operations
  ApiResponse V3TraceSummaries(const QueryString& query);  // GET /api/v3/trace-summaries
  ApiResponse V3FindTraces(const QueryString& query);      // GET /api/v3/traces
  ApiResponse V3GetTrace(std::string_view trace_id);       // GET /api/v3/traces/{id}

 private:
  SpanStore& store_;
  const Clock& clock_;
};

// The 16 raw bytes of a trace id given as 1-32 hex digits (Jaeger trims leading zeros, so
// shorter ids are left-padded); nullopt when not hex, empty or longer than 32 digits.
std::optional<std::string> ParseTraceId(std::string_view hex);

}  // namespace blogtrace::collector
