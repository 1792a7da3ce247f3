// SpanLimits: how much one span may hold (OTel SDK spec "Span Limits"); what exceeds them is
// dropped and counted (OTLP dropped_*_count fields).
#pragma once

#include <cstddef>

#include "telemetry/sdk/attribute.h"
#include "telemetry/sdk/env.h"

namespace blogtrace::telemetry::sdk {

struct SpanLimits {
  std::size_t attribute_count = 128;
  std::size_t attribute_value_length = kNoLengthLimit;
  std::size_t event_count = 128;
  std::size_t link_count = 128;
  std::size_t event_attribute_count = 128;
  std::size_t link_attribute_count = 128;

  // OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT (else OTEL_ATTRIBUTE_COUNT_LIMIT),
  // OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT (else OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT),
  // OTEL_SPAN_EVENT_COUNT_LIMIT, OTEL_SPAN_LINK_COUNT_LIMIT, OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT,
  // OTEL_LINK_ATTRIBUTE_COUNT_LIMIT.
  static SpanLimits FromEnv(const GetEnvFunction& getenv);
};

}  // namespace blogtrace::telemetry::sdk
