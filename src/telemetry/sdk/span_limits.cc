#include "telemetry/sdk/span_limits.h"

#include <limits>

namespace blogtrace::telemetry::sdk {

SpanLimits SpanLimits::FromEnv(const GetEnvFunction& getenv) {
  SpanLimits l;
  auto get = [&](std::string_view name, std::size_t fallback) {
    constexpr auto kMax = std::numeric_limits<std::int64_t>::max();
    std::int64_t v = env::GetInt(
        getenv, name,
        fallback >= static_cast<std::size_t>(kMax) ? kMax : static_cast<std::int64_t>(fallback));
    return v == kMax ? kNoLengthLimit : static_cast<std::size_t>(v);
  };
  std::size_t general_count = get("OTEL_ATTRIBUTE_COUNT_LIMIT", l.attribute_count);
  std::size_t general_length = get("OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT", l.attribute_value_length);
  l.attribute_count = get("OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT", general_count);
  l.attribute_value_length = get("OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT", general_length);
  l.event_count = get("OTEL_SPAN_EVENT_COUNT_LIMIT", l.event_count);
  l.link_count = get("OTEL_SPAN_LINK_COUNT_LIMIT", l.link_count);
  l.event_attribute_count = get("OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT", l.event_attribute_count);
  l.link_attribute_count = get("OTEL_LINK_ATTRIBUTE_COUNT_LIMIT", l.link_attribute_count);
  return l;
}

}  // namespace blogtrace::telemetry::sdk
