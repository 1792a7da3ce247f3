#include "store/db_span.h"

#include "telemetry/api/semconv.h"

namespace blogtrace::store {
namespace {

// Not (yet) among the API's semconv constants.
constexpr std::string_view kDbResponseReturnedRows = "db.response.returned_rows";

}  // namespace

telemetry::Span StartDbSpan(telemetry::Tracer& tracer, const telemetry::Context& parent,
                            const DbCall& call) noexcept {
  telemetry::StartSpanOptions options;
  options.kind = telemetry::SpanKind::kClient;
  options.parent = &parent;
  std::string name;
  try {
    name.reserve(call.operation.size() + 1 + call.collection.size());
    name.append(call.operation).append(" ").append(call.collection);
  } catch (...) {
    name.clear();
  }
  telemetry::Span span = tracer.StartSpan(name, options);
  if (span.IsRecording()) {
    span.SetAttribute(telemetry::semconv::kDbSystem, call.system);
    span.SetAttribute(telemetry::semconv::kDbOperationName, call.operation);
    span.SetAttribute(telemetry::semconv::kDbCollectionName, call.collection);
    // Empty for the spans of injected store faults, which run no query.
    if (!call.db_namespace.empty()) {
      span.SetAttribute(telemetry::semconv::kDbNamespace, call.db_namespace);
    }
    if (!call.query_text.empty())
      span.SetAttribute(telemetry::semconv::kDbQueryText, call.query_text);
  }
  return span;
}

void SetReturnedRows(telemetry::Span& span, std::int64_t rows) noexcept {
  span.SetAttribute(kDbResponseReturnedRows, rows);
}

void SetDbError(telemetry::Span& span, std::string_view error_type,
                std::string_view description) noexcept {
  span.SetAttribute(telemetry::semconv::kErrorType, error_type);
  span.SetStatus(telemetry::StatusCode::kError, description);
}

}  // namespace blogtrace::store
