// The tag names and values Jaeger uses when it maps OTLP spans (Jaeger's otlp translator).
#pragma once

#include <string_view>

namespace blogtrace::collector {

inline constexpr std::string_view kSpanKindTag = "span.kind";
inline constexpr std::string_view kStatusCodeTag = "otel.status_code";
inline constexpr std::string_view kStatusDescriptionTag = "otel.status_description";
inline constexpr std::string_view kErrorTag = "error";
inline constexpr std::string_view kScopeNameTag = "otel.scope.name";
inline constexpr std::string_view kScopeVersionTag = "otel.scope.version";
inline constexpr std::string_view kEventField = "event";

// "server", "client", "producer", "consumer", "internal"; empty for UNSPECIFIED or unknown.
std::string_view SpanKindName(int otlp_kind) noexcept;
// The OTLP kind for a Jaeger kind name; -1 when unknown.
int SpanKindFromName(std::string_view name) noexcept;
// "OK" or "ERROR"; empty for UNSET.
std::string_view StatusCodeName(int otlp_code) noexcept;

}  // namespace blogtrace::collector
