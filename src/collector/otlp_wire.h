// Reading OTLP ExportTraceServiceRequest bodies straight from the protobuf wire format
// (https://protobuf.dev/programming-guides/encoding/) without building messages; the entry point
// is ExtractSpansFromProtobuf (span_batch.h), defined in otlp_wire.cc.
//
// The reader accepts and refuses exactly what libprotobuf 3.21's generated parser does for these
// messages: varints of at most 10 bytes (tags 5, lengths 5 with a value below 2^31 - 16), 32-bit
// fields truncated from the varint, fields that must fit in their enclosing message, field
// number 0 and wire types 6/7 refused, unknown fields (a known number with another wire type is
// one) skipped including groups with a matching end tag, at most kMaxMessageDepth nested
// messages and groups, and strict UTF-8 in every proto3 `string` field. Repeated singular
// fields: the last scalar wins and messages merge, as when protobuf parses them.
// tests/collector/otlp_wire_test.cc checks all of this against libprotobuf itself.
// Pure functions, thread-safe.
#pragma once

#include <string_view>

namespace blogtrace::collector::wire {

// libprotobuf's default recursion limit: messages and groups nested below the request.
inline constexpr int kMaxMessageDepth = 100;

// Strict UTF-8 as libprotobuf checks proto3 strings: no overlong forms, no surrogates
// (U+D800..U+DFFF), nothing above U+10FFFF; NUL and every other code point allowed.
bool IsValidUtf8(std::string_view s);

}  // namespace blogtrace::collector::wire
