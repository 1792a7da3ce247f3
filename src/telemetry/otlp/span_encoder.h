// Encodes spans as an OTLP ExportTraceServiceRequest in protobuf wire format, grouped by resource
// and instrumentation scope, without libprotobuf (speed; the round-trip test checks it against
// libprotobuf). Span and link `flags` carry the W3C trace flags plus bits 8/9
// (has_is_remote / is_remote).
#pragma once

#include <span>
#include <string>

#include "telemetry/sdk/span_data.h"

namespace blogtrace::telemetry::otlp {

// Replaces `out` with the encoded request (reusing its capacity).
void EncodeExportRequest(std::span<const sdk::SpanData* const> spans, std::string& out);

// Decodes ExportTraceServiceResponse.partial_success; false when malformed.
bool DecodePartialSuccess(std::string_view body, std::int64_t& rejected_spans,
                          std::string& error_message);

}  // namespace blogtrace::telemetry::otlp
