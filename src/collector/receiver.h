// The OTLP/HTTP trace receiver, `POST /v1/traces`
// (https://opentelemetry.io/docs/specs/otlp/#otlphttp), as a pure function from request to
// response: decode (protobuf or JSON, optionally gzip), validate, queue for the store, and answer
// in the request's encoding. Thread-safe (the store is).
#pragma once

#include <cstddef>

#include "collector/span_store.h"
#include "http/message.h"

namespace blogtrace::collector {

// Receiver limits.
struct ReceiverOptions {
  // Largest body accepted after decompression (413 above it).
  std::size_t max_body_bytes = 16 * 1024 * 1024;
  // Seconds a client is told to wait (Retry-After) when the store's queue is full.
  int retry_after_seconds = 1;
};

// Answers one export request:
//  200 ExportTraceServiceResponse (partial_success when spans were rejected for invalid ids);
//  400 google.rpc.Status when the body does not decode (nothing is stored);
//  413 when the (decompressed) body is too large; 415 for another content type or encoding;
//  503 with Retry-After when the store's queue is full.
// Protobuf requests get protobuf answers, JSON requests JSON answers (415 answers are JSON).
http::Response HandleExport(const http::Request& request, SpanStore& store,
                            const ReceiverOptions& options);

}  // namespace blogtrace::collector
