// The collector's storage-ready form of received spans: one record per span plus the (resource,
// scope) "origins" they came from. Records hold no strings of their own: names, span bytes and
// tag text are ranges into the batch's two buffers, so a 512-span request costs a handful of
// allocations instead of several per span.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "collector/otlp_decode.h"
#include "common/result.h"

namespace blogtrace::collector {

// Where spans came from: a resource and an instrumentation scope, kept as protobuf bytes.
struct Origin {
  std::string resource;  // serialized opentelemetry.proto.resource.v1.Resource
  std::string scope;     // serialized InstrumentationScope
  std::string service;   // resource attribute service.name ("unknown_service" when absent)
  std::string tags;      // searchable text of resource attributes and scope (see TagPattern)
};

// A run of bytes inside one of a SpanBatch's buffers.
struct ByteRange {
  std::uint32_t offset = 0;
  std::uint32_t size = 0;
};

// One span ready to store.
struct SpanRecord {
  std::array<char, 16> trace_id{};  // raw bytes, never all zero
  std::array<char, 8> span_id{};    // raw bytes, never all zero
  std::array<char, 8> parent_id{};  // all zero for a root span
  ByteRange name;                   // in SpanBatch::bytes
  ByteRange span;                   // in SpanBatch::bytes: the serialized Span (the full span)
  ByteRange tags;                   // in SpanBatch::tags: attributes, derived tags and event fields
  std::uint64_t start_ns = 0;
  std::uint64_t duration_ns = 0;  // 0 when the end is before the start
  std::uint32_t origin = 0;       // index into SpanBatch::origins
  std::uint8_t kind = 0;          // OTLP SpanKind number (0..5; larger values are kept as sent)
  bool has_error = false;         // status ERROR

  bool is_root() const {
    for (char c : parent_id) {
      if (c != 0) return false;
    }
    return true;
  }
};

// Spans of one or more requests, ready for the store. Moves cheaply; not copied by the store.
struct SpanBatch {
  // Span bytes and names: the received protobuf body itself (spans are slices of it), or, for
  // spans converted from a parsed message, their serialization and names back to back.
  std::string bytes;
  std::string tags;  // every span's tag text, back to back
  std::vector<Origin> origins;
  std::vector<SpanRecord> spans;

  std::string_view Name(const SpanRecord& s) const { return Slice(bytes, s.name); }
  std::string_view Span(const SpanRecord& s) const { return Slice(bytes, s.span); }
  std::string_view Tags(const SpanRecord& s) const { return Slice(tags, s.tags); }

 private:
  static std::string_view Slice(const std::string& buffer, ByteRange r) {
    return std::string_view(buffer).substr(r.offset, r.size);
  }
};

// The outcome of validating a request: accepted spans and the rejected count with a reason.
struct ExtractResult {
  SpanBatch batch;
  std::int64_t rejected = 0;
  std::string error_message;  // empty when nothing was rejected
};

// Validates and converts every span of a parsed request (the OTLP/JSON path, and tests). A span
// is rejected (counted, not stored) when its trace id is not 16 bytes or all zero, its span id
// not 8 bytes or all zero, or its parent id neither empty nor 8 bytes. An end time before the
// start is stored as duration 0.
ExtractResult ExtractSpans(const otlp_collector::ExportTraceServiceRequest& request);

// The same for a binary protobuf ExportTraceServiceRequest body, read straight from the wire
// format without building messages; spans keep their received bytes. Fails with kBadRequest
// when the body is not a well-formed request (exactly when protobuf's parser would refuse it),
// and with kPayloadTooLarge for bodies of 4 GiB or more.
Result<ExtractResult> ExtractSpansFromProtobuf(std::string body);

// Searchable tag text of one span or origin: "\x1f" key "\x1e" value "\x1f" key "\x1e" value
// ... "\x1f" (the separators inside keys and values become spaces). TagPattern(k, v) occurs in
// the text as a substring exactly when the pair is present, and is one of the text's
// "\x1f"-delimited segments (see ForEachTagPattern).
std::string TagPattern(std::string_view key, std::string_view value);

// Calls f(pattern) for every key/value pattern of a tag text, each equal to TagPattern(k, v).
template <typename F>
void ForEachTagPattern(std::string_view text, F&& f) {
  std::size_t start = text.find('\x1f');
  while (start != std::string_view::npos) {
    std::size_t end = text.find('\x1f', start + 1);
    if (end == std::string_view::npos) return;
    f(text.substr(start, end - start + 1));
    start = end;
  }
}

}  // namespace blogtrace::collector
