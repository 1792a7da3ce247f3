// Decoding OTLP/HTTP trace export bodies (https://opentelemetry.io/docs/specs/otlp/#otlphttp)
// into the protobuf ExportTraceServiceRequest, the collector's one in-memory form of a request:
// binary protobuf, OTLP/JSON and gzip content encoding. Pure functions, thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "common/result.h"
#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"

namespace blogtrace::collector {

namespace otlp_collector = opentelemetry::proto::collector::trace::v1;

// Inflates a gzip (or zlib) body. Fails with kBadRequest when the data is corrupt and with
// kPayloadTooLarge as soon as the output would exceed `max_output` bytes (gzip bombs stop there).
Result<std::string> Gunzip(std::string_view compressed, std::size_t max_output);

// Parses a binary protobuf ExportTraceServiceRequest; kBadRequest when it does not parse.
Status DecodeProtobufRequest(std::string_view body, otlp_collector::ExportTraceServiceRequest& out);

// Parses an OTLP/JSON ExportTraceServiceRequest (spec "JSON Protobuf Encoding"): trace and span
// ids as hex strings, enums as integers or names, 64-bit integers as strings or numbers, field
// names in lowerCamelCase or snake_case, unknown fields ignored. kBadRequest when the body is not
// JSON or a known field has the wrong type (an id that is not hex, a time that is not a number).
Status DecodeJsonRequest(std::string_view body, otlp_collector::ExportTraceServiceRequest& out);

}  // namespace blogtrace::collector
