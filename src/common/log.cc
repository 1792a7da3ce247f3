#include "common/log.h"

#include <chrono>
#include <cstdio>
#include <ctime>

#include <spdlog/logger.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <nlohmann/json.hpp>

namespace blogtrace {

struct Logger::State {
  std::string service;
  LogFormat format;
  LogLevel level;
  std::shared_ptr<spdlog::logger> out;
};

namespace {

spdlog::level::level_enum ToSpd(LogLevel level) {
  switch (level) {
    case LogLevel::kTrace:
      return spdlog::level::trace;
    case LogLevel::kDebug:
      return spdlog::level::debug;
    case LogLevel::kInfo:
      return spdlog::level::info;
    case LogLevel::kWarn:
      return spdlog::level::warn;
    case LogLevel::kError:
      return spdlog::level::err;
    case LogLevel::kOff:
      return spdlog::level::off;
  }
  return spdlog::level::info;
}

std::string Timestamp() {
  // RFC 3339 UTC with milliseconds, like the rest of the contract's times.
  auto now = std::chrono::system_clock::now();
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()) % 1000;
  std::time_t t = std::chrono::system_clock::to_time_t(now);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[40];
  std::size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  std::snprintf(buf + n, sizeof buf - n, ".%03dZ", static_cast<int>(ms.count()));
  return buf;
}

nlohmann::json ToJson(const LogField::Value& v) {
  return std::visit([](const auto& x) { return nlohmann::json(x); }, v);
}

// Text values are quoted when they hold spaces, quotes or '=' so lines stay parseable.
void AppendText(std::string& out, const LogField::Value& v) {
  if (const auto* s = std::get_if<std::string>(&v)) {
    if (s->empty() || s->find_first_of(" \"=\t\n") != std::string::npos) {
      out += nlohmann::json(*s).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    } else {
      out += *s;
    }
    return;
  }
  out += ToJson(v).dump();
}

Logger& Global() {
  static Logger logger{LogOptions{}};
  return logger;
}

}  // namespace

std::optional<LogLevel> ParseLogLevel(std::string_view text) noexcept {
  std::string lower;
  for (char c : text) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower == "trace") return LogLevel::kTrace;
  if (lower == "debug") return LogLevel::kDebug;
  if (lower == "info") return LogLevel::kInfo;
  if (lower == "warn" || lower == "warning") return LogLevel::kWarn;
  if (lower == "error") return LogLevel::kError;
  if (lower == "off") return LogLevel::kOff;
  return std::nullopt;
}

std::string_view LogLevelName(LogLevel level) noexcept {
  switch (level) {
    case LogLevel::kTrace:
      return "trace";
    case LogLevel::kDebug:
      return "debug";
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kWarn:
      return "warn";
    case LogLevel::kError:
      return "error";
    case LogLevel::kOff:
      return "off";
  }
  return "info";
}

Logger::Logger(const LogOptions& options) {
  spdlog::sink_ptr sink;
  if (options.sink != nullptr) {
    sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(*options.sink, /*force_flush=*/true);
  } else {
    sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  }
  // The line is formatted here (text or JSON); spdlog only serialises writes to the sink.
  auto out = std::make_shared<spdlog::logger>(options.service, std::move(sink));
  out->set_pattern("%v");
  out->set_level(ToSpd(options.level));
  out->flush_on(spdlog::level::warn);
  state_ = std::make_shared<const State>(
      State{options.service, options.format, options.level, std::move(out)});
}

void Logger::Configure(const LogOptions& options) { Global() = Logger(options); }

const Logger& Logger::Bg() { return Global(); }

void Logger::Trace(std::string_view message, LogFields fields) const {
  Write(LogLevel::kTrace, message, fields);
}
void Logger::Debug(std::string_view message, LogFields fields) const {
  Write(LogLevel::kDebug, message, fields);
}
void Logger::Info(std::string_view message, LogFields fields) const {
  Write(LogLevel::kInfo, message, fields);
}
void Logger::Warn(std::string_view message, LogFields fields) const {
  Write(LogLevel::kWarn, message, fields);
}
void Logger::Error(std::string_view message, LogFields fields) const {
  Write(LogLevel::kError, message, fields);
}

bool Logger::Enabled(LogLevel level) const noexcept {
  return level != LogLevel::kOff && level >= state_->level;
}

const std::string& Logger::service() const noexcept { return state_->service; }

void Logger::Write(LogLevel level, std::string_view message, LogFields fields,
                   std::string_view trace_id, std::string_view span_id) const {
  if (!Enabled(level)) return;
  try {
    std::string line;
    if (state_->format == LogFormat::kJson) {
      nlohmann::ordered_json j;
      j["time"] = Timestamp();
      j["level"] = LogLevelName(level);
      j["service"] = state_->service;
      j["message"] = message;
      if (!trace_id.empty()) j["trace_id"] = trace_id;
      if (!span_id.empty()) j["span_id"] = span_id;
      for (const LogField& f : fields) {
        std::visit([&](const auto& x) { j[f.key] = x; }, f.value);
      }
      line = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    } else {
      line = Timestamp();
      line += ' ';
      std::string_view name = LogLevelName(level);
      line += name;
      line.append(6 - name.size(), ' ');
      line += state_->service;
      line += ' ';
      line += message;
      for (const LogField& f : fields) {
        line += ' ';
        line += f.key;
        line += '=';
        AppendText(line, f.value);
      }
      if (!trace_id.empty()) {
        line += " trace_id=";
        line += trace_id;
      }
      if (!span_id.empty()) {
        line += " span_id=";
        line += span_id;
      }
    }
    state_->out->log(ToSpd(level), "{}", line);
  } catch (...) {
    // Logging never breaks the caller (a full disk, a closed stderr).
  }
}

}  // namespace blogtrace
