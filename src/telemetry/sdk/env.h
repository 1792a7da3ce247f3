// Reading OTEL_* variables: an injectable getenv and typed parsers that report a bad value once on
// stderr (naming the variable) and fall back to the default, as the OTel SDK spec requires.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace blogtrace::telemetry::sdk {

// Returns the value of a variable, or nullopt when unset. Must be thread-safe.
using GetEnvFunction = std::function<std::optional<std::string>(std::string_view)>;

// The process environment.
std::optional<std::string> ProcessGetEnv(std::string_view name);

// Writes one diagnostic line to stderr ("telemetry: ..."). Never throws.
void LogError(std::string_view message) noexcept;

namespace env {
// The trimmed value; nullopt when unset or empty (the spec treats empty as unset).
std::optional<std::string> GetString(const GetEnvFunction& getenv, std::string_view name);
// "true" (case-insensitive) → true; anything else → false.
bool GetBool(const GetEnvFunction& getenv, std::string_view name);
// A non-negative integer; `fallback` when unset or invalid (invalid is reported).
std::int64_t GetInt(const GetEnvFunction& getenv, std::string_view name, std::int64_t fallback);
// Milliseconds as a non-negative integer; `fallback` when unset or invalid.
std::chrono::milliseconds GetMillis(const GetEnvFunction& getenv, std::string_view name,
                                    std::chrono::milliseconds fallback);
// Percent-decodes `s` (RFC 3986); nullopt when a '%' is not followed by two hex digits.
std::optional<std::string> PercentDecode(std::string_view s);
}  // namespace env

}  // namespace blogtrace::telemetry::sdk
