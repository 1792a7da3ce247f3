// Owned attribute values, as the SDK stores them once a span copies what the API call borrowed.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "telemetry/api/attribute_value.h"
#include "telemetry/sdk/reusable_vector.h"

namespace blogtrace::telemetry::sdk {

// OTLP bytes_value.
struct OwnedBytes {
  std::string data;
  friend bool operator==(const OwnedBytes&, const OwnedBytes&) = default;
};

using OwnedValue = std::variant<bool, std::int64_t, double, std::string, std::vector<bool>,
                                std::vector<std::int64_t>, std::vector<double>,
                                std::vector<std::string>, OwnedBytes>;

struct Attribute {
  std::string key;
  OwnedValue value;
  friend bool operator==(const Attribute&, const Attribute&) = default;
};

using Attributes = ReusableVector<Attribute>;

inline constexpr std::size_t kNoLengthLimit = std::numeric_limits<std::size_t>::max();

// Copies `value` into `out`, reusing its buffers; strings (and strings in arrays) are cut to
// `max_length` bytes, never inside a UTF-8 sequence.
void AssignValue(OwnedValue& out, const AttributeValue& value, std::size_t max_length);

// Sets `key` in `attrs`: replaces an existing value, else appends while below `max_count`, else
// counts a drop in `dropped`.
void SetAttribute(Attributes& attrs, std::string_view key, const AttributeValue& value,
                  std::size_t max_count, std::size_t max_length, std::uint32_t& dropped);

// A readable rendering of a value (console exporter, test messages).
std::string ToString(const OwnedValue& value);

}  // namespace blogtrace::telemetry::sdk
