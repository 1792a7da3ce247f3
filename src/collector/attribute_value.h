// Rendering OTLP attribute values: as the string Jaeger's tag search compares against, and as
// typed JSON for Jaeger tags.
#pragma once

#include <string>

#include "opentelemetry/proto/common/v1/common.pb.h"

namespace blogtrace::collector {

namespace otlp_common = opentelemetry::proto::common::v1;

// The value as text: strings as they are, booleans "true"/"false", integers in decimal, doubles
// in shortest round-trip form, bytes in base64, arrays and maps as compact JSON.
std::string AnyValueToString(const otlp_common::AnyValue& value);

// The resource attribute service.name, or "unknown_service" when absent or not a string.
std::string ServiceName(const google::protobuf::RepeatedPtrField<otlp_common::KeyValue>& attrs);

}  // namespace blogtrace::collector
