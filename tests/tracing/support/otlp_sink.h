// OtlpSink: an OTLP/HTTP trace receiver inside the test process, so whole-system tests can see
// exactly which spans the real services export.
//
// Listens on 127.0.0.1, port 0 (the kernel picks a free one), and serves POST /v1/traces with
// Content-Type application/x-protobuf (optionally Content-Encoding: gzip), answering 200 with an
// empty ExportTraceServiceResponse; anything else gets 4xx and is counted as a rejected request.
// One I/O thread serves all connections (keep-alive honoured).
//
// Thread safety: every public method may be called from any thread; WaitForSpans blocks the
// caller on a condition variable that each accepted export signals.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "received_span.h"

namespace blogtrace::tracing_test {

// The in-process OTLP/HTTP receiver.
class OtlpSink {
 public:
  // What a predicate passed to WaitForSpans sees: every span received so far, in arrival order.
  using SpanPredicate = std::function<bool(const std::vector<ReceivedSpan>&)>;

  // Binds and starts serving; throws std::runtime_error when it cannot bind.
  OtlpSink();
  // Stops the I/O thread and closes every connection.
  ~OtlpSink();
  OtlpSink(const OtlpSink&) = delete;
  OtlpSink& operator=(const OtlpSink&) = delete;

  // The bound port and the base URL to put in OTEL_EXPORTER_OTLP_ENDPOINT.
  std::uint16_t port() const { return port_; }
  std::string endpoint() const;

  // A copy of every span received so far.
  std::vector<ReceivedSpan> Spans() const;
  // The spans of one trace (lower-case hex trace id).
  std::vector<ReceivedSpan> SpansOfTrace(std::string_view trace_id) const;
  // Number of export requests accepted / rejected (bad path, type, body) so far.
  int accepted_requests() const;
  int rejected_requests() const;

  // Blocks until `predicate` holds over the received spans or `timeout` passes; returns whether
  // it held. The predicate runs under the sink's lock: keep it quick, do not call the sink.
  bool WaitForSpans(const SpanPredicate& predicate, std::chrono::milliseconds timeout) const;
  // Waits until the trace holds at least `count` spans.
  bool WaitForTraceSpans(std::string_view trace_id, std::size_t count,
                         std::chrono::milliseconds timeout) const;

  // Forgets every span received so far (counters too).
  void Clear();

  // Decodes one export body (already decompressed) into spans; false when it does not parse.
  // Pure function, used by the server and by tests.
  static bool Decode(std::string_view body, std::vector<ReceivedSpan>& out);

 private:
  struct Server;  // Beast/Asio machinery, in the .cc file.

  // Called by the server on its I/O thread for each decoded export.
  void Accept(std::vector<ReceivedSpan> spans);
  void Reject();

  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  std::vector<ReceivedSpan> spans_;
  int accepted_ = 0;
  int rejected_ = 0;

  std::unique_ptr<Server> server_;
  std::uint16_t port_ = 0;
  std::thread io_thread_;
};

}  // namespace blogtrace::tracing_test
