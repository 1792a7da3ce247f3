// Logger: structured log lines on spdlog, as text or as one JSON object per line (LOG_FORMAT).
// Logger::Bg() writes lines that belong to no request; http::LogFor(ctx) (http/request_log.h)
// stamps trace_id and span_id and mirrors warnings and errors as span events.
// Never pass secrets (keys, passwords, tokens) as messages or fields.
//
// Thread safety: logging is safe from any thread. Configure() is for start-up only: it must run
// before other threads log (it replaces the logger Bg() returns without synchronisation).
#pragma once

#include <concepts>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <variant>

#include "common/config.h"

namespace blogtrace {

// Severity, lowest first.
enum class LogLevel { kTrace, kDebug, kInfo, kWarn, kError, kOff };

// Parses "trace|debug|info|warn|warning|error|off" (any case); nullopt otherwise.
std::optional<LogLevel> ParseLogLevel(std::string_view text) noexcept;

// The name a level has in log lines ("info").
std::string_view LogLevelName(LogLevel level) noexcept;

// One key/value of a log line. Values keep their JSON type (string, integer, double, bool).
struct LogField {
  using Value = std::variant<std::string, std::int64_t, double, bool>;

  // One constructor per value type, so `{{"key", value}}` lists read naturally.
  LogField(std::string_view k, std::string_view v) : key(k), value(std::string(v)) {}
  LogField(std::string_view k, const char* v) : key(k), value(std::string(v)) {}
  LogField(std::string_view k, const std::string& v) : key(k), value(v) {}
  template <std::integral I>
  requires(!std::same_as<I, bool>) LogField(std::string_view k, I v)
      : key(k), value(static_cast<std::int64_t>(v)) {}
  LogField(std::string_view k, double v) : key(k), value(v) {}
  LogField(std::string_view k, bool v) : key(k), value(v) {}

  std::string key;
  Value value;
};

// The fields of one line, written in order after the message.
using LogFields = std::initializer_list<LogField>;

// Where and how lines are written.
struct LogOptions {
  std::string service = "blogtrace";
  LogFormat format = LogFormat::kText;
  LogLevel level = LogLevel::kInfo;
  // Lines go here instead of stderr when set (tests). Not owned; must outlive the logger.
  std::ostream* sink = nullptr;
};

// A configured logger. Cheap to copy (shares the underlying sink).
class Logger {
 public:
  // A logger writing to options.sink (or stderr) in options.format.
  explicit Logger(const LogOptions& options);

  // Replaces the process-wide logger Bg() returns (call once at start, from main).
  static void Configure(const LogOptions& options);
  // The process-wide logger, for lines outside a request (stderr, text, info until configured).
  static const Logger& Bg();

  // Write one line at the named level (dropped below the configured level).
  void Trace(std::string_view message, LogFields fields = {}) const;
  void Debug(std::string_view message, LogFields fields = {}) const;
  void Info(std::string_view message, LogFields fields = {}) const;
  void Warn(std::string_view message, LogFields fields = {}) const;
  void Error(std::string_view message, LogFields fields = {}) const;

  // Writes one line at `level`; `trace_id`/`span_id` are added when not empty.
  void Write(LogLevel level, std::string_view message, LogFields fields,
             std::string_view trace_id = {}, std::string_view span_id = {}) const;

  // True when lines at `level` are written (to skip building expensive fields).
  bool Enabled(LogLevel level) const noexcept;

  // The service name stamped on every line.
  const std::string& service() const noexcept;

 private:
  struct State;
  std::shared_ptr<const State> state_;
};

}  // namespace blogtrace
