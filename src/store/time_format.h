// RFC 3339 timestamps in UTC with millisecond precision, the form the contract's JSON uses
// ("2026-11-25T12:00:00.123Z").
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace blogtrace::store {

// Formats `t` (truncated toward the past to whole milliseconds) as "YYYY-MM-DDTHH:MM:SS.mmmZ".
std::string FormatRfc3339(std::chrono::system_clock::time_point t);

// Parses what FormatRfc3339 writes, and more generally RFC 3339 date-times with "Z" or a
// numeric offset and 0-9 fraction digits (kept to the millisecond). nullopt when malformed.
std::optional<std::chrono::system_clock::time_point> ParseRfc3339(std::string_view text);

// `t` truncated toward the past to whole milliseconds: the precision the stores keep.
std::chrono::system_clock::time_point TruncateToMillis(std::chrono::system_clock::time_point t);

}  // namespace blogtrace::store
