#include "http/request_log.h"

#include <vector>

#include "telemetry/api/span.h"

namespace blogtrace::http {

namespace {

telemetry::AttributeValue ToAttribute(const LogField::Value& value) {
  return std::visit([](const auto& v) { return telemetry::AttributeValue(v); }, value);
}

}  // namespace

void RequestLogger::Debug(std::string_view message, LogFields fields) const {
  Write(LogLevel::kDebug, message, fields);
}
void RequestLogger::Info(std::string_view message, LogFields fields) const {
  Write(LogLevel::kInfo, message, fields);
}
void RequestLogger::Warn(std::string_view message, LogFields fields) const {
  Write(LogLevel::kWarn, message, fields);
}
void RequestLogger::Error(std::string_view message, LogFields fields) const {
  Write(LogLevel::kError, message, fields);
}

void RequestLogger::Write(LogLevel level, std::string_view message, LogFields fields) const {
  const telemetry::SpanContext& sc = ctx_.trace.span_context;
  if (logger_.Enabled(level)) {
    if (sc.IsValid()) {
      char trace_id[32];
      char span_id[16];
      sc.trace_id().ToHex(trace_id);
      sc.span_id().ToHex(span_id);
      logger_.Write(level, message, fields, {trace_id, 32}, {span_id, 16});
    } else {
      logger_.Write(level, message, fields);
    }
  }
  if (level < LogLevel::kWarn || ctx_.span == nullptr || !ctx_.span->IsRecording()) return;
  try {
    std::vector<telemetry::KeyValue> attributes;
    attributes.reserve(fields.size() + 2);
    attributes.push_back({"log.severity", level == LogLevel::kWarn ? "WARN" : "ERROR"});
    attributes.push_back({"log.message", message});
    for (const LogField& f : fields) attributes.push_back({f.key, ToAttribute(f.value)});
    ctx_.span->AddEvent("log", attributes);
  } catch (...) {
    // Telemetry never breaks the request.
  }
}

RequestLogger LogFor(RequestContext& ctx) noexcept { return RequestLogger(Logger::Bg(), ctx); }

}  // namespace blogtrace::http
