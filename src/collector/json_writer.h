// A minimal streaming JSON writer for the query API's large responses (a 2,000-span trace is
// megabytes; building an nlohmann DOM for it costs several times more than writing it out).
// Strings must be valid UTF-8 (protobuf and nlohmann guarantee it for decoded input).
// Not thread-safe; one writer per response.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace blogtrace::collector {

class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) {}

  // Appends a quoted, escaped string.
  void String(std::string_view s);
  // Appends a number.
  void Int(std::int64_t v);
  void Double(double v);  // precondition: finite
  // Appends raw, already-valid JSON text ("null", "true", ",", "{").
  void Raw(std::string_view text) { out_.append(text); }
  // Appends `"key":`.
  void Key(std::string_view key) {
    String(key);
    out_ += ':';
  }

 private:
  std::string& out_;
};

}  // namespace blogtrace::collector
