// Request-aware logging: LogFor(ctx) writes through the process logger with the request's
// trace_id and span_id on every line, and adds warnings and errors as events ("log") on the
// server span, so a trace shows what went wrong without searching the logs.
#pragma once

#include <string_view>

#include "common/log.h"
#include "http/request_context.h"

namespace blogtrace::http {

// A logger bound to one request. Holds references: use it within the request only.
class RequestLogger {
 public:
  // Binds `logger` to `ctx` (both must outlive this object).
  RequestLogger(const Logger& logger, RequestContext& ctx) noexcept : logger_(logger), ctx_(ctx) {}

  // Debug and info lines go to the log only.
  void Debug(std::string_view message, LogFields fields = {}) const;
  void Info(std::string_view message, LogFields fields = {}) const;
  // Also a span event "log" with log.severity "WARN", log.message and the fields.
  void Warn(std::string_view message, LogFields fields = {}) const;
  // Also a span event "log" with log.severity "ERROR", log.message and the fields.
  void Error(std::string_view message, LogFields fields = {}) const;

 private:
  void Write(LogLevel level, std::string_view message, LogFields fields) const;
  const Logger& logger_;
  RequestContext& ctx_;
};

// The process logger (Logger::Bg()) bound to `ctx`.
RequestLogger LogFor(RequestContext& ctx) noexcept;

}  // namespace blogtrace::http
