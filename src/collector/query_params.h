// Parsing the query API's parameters: URL query strings, Go durations, RFC 3339 times.
// Pure functions, thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace blogtrace::collector {

// A decoded URL query: every value of every name, in order (names may repeat: traceID=&traceID=).
class QueryString {
 public:
  // Parses "a=1&b=x%20y&b=z" (percent-decoding, '+' as space). Malformed escapes stay literal.
  static QueryString Parse(std::string_view query);
  // The first value of `name`, or nullopt.
  std::optional<std::string> Get(std::string_view name) const;
  // Every value of `name`.
  std::vector<std::string> GetAll(std::string_view name) const;

 private:
  std::multimap<std::string, std::string, std::less<>> values_;
};

// Decodes %XX escapes and '+' (as space).
std::string PercentDecode(std::string_view text);

// A Go duration ("1h30m", "1.5s", "300ms", "2us", "0"); negative values and unknown units fail.
Result<std::chrono::nanoseconds> ParseGoDuration(std::string_view text);

// A lookback such as the Jaeger UI sends: a Go duration, or a whole number of days ("2d") or
// weeks ("1w").
Result<std::chrono::nanoseconds> ParseLookback(std::string_view text);

// An RFC 3339 timestamp ("2026-01-02T03:04:05.123456789Z", offsets allowed) in Unix nanoseconds.
Result<std::uint64_t> ParseRfc3339(std::string_view text);

// A whole number within [min, max].
Result<std::int64_t> ParseInteger(std::string_view text, std::int64_t min, std::int64_t max);

}  // namespace blogtrace::collector
