// TraceContextTestService: the service side of the W3C Trace Context validation suite
// (https://github.com/w3c/trace-context/tree/main/test). The harness POSTs /test a JSON array of
// {"url": ..., "arguments": [...]}; for each element the service POSTs `arguments` (as JSON) to
// `url` from a new CLIENT span whose parent is this request's SERVER span, which continues the
// incoming traceparent/tracestate (or starts a trace when they are missing or invalid). Headers
// are written by the project's own W3C propagator. Thread-safe; one thread per connection.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "telemetry/api/propagator.h"
#include "telemetry/api/tracer.h"

namespace blogtrace::telemetry::tracecontext {

// The callbacks a /test body asks for; nullopt when it is not a JSON array of such objects.
struct Callback {
  std::string url;
  std::string arguments_json;
};
std::optional<std::vector<Callback>> ParseTestBody(std::string_view body);

class TestService {
 public:
  // Binds host:port (port 0 → ephemeral); throws std::system_error when it cannot.
  TestService(const std::string& host, std::uint16_t port);
  ~TestService();  // Stop()

  std::uint16_t port() const noexcept;
  // Serves on a background thread until Stop().
  void Start();
  void Stop();

  // Handles one POST /test: extracts the context from `headers` (lower-case names; repeated
  // headers joined with ","), makes the callbacks, returns the HTTP status to answer and sets
  // `traceresponse` to the SERVER span's context.
  int HandleTest(const std::map<std::string, std::string>& headers, std::string_view body,
                 std::string& traceresponse);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace blogtrace::telemetry::tracecontext
