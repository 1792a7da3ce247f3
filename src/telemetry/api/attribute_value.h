// AttributeValue: a borrowed view of one attribute value (OTel common AnyValue subset: scalars and
// homogeneous arrays, plus bytes). It does not own what it points at: the callee copies at once.
#pragma once

#include <concepts>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace blogtrace::telemetry {

// Raw bytes (OTLP bytes_value).
struct Bytes {
  std::span<const std::uint8_t> data;
};

class AttributeValue {
 public:
  using Variant =
      std::variant<bool, std::int64_t, double, std::string_view, std::span<const bool>,
                   std::span<const std::int64_t>, std::span<const double>,
                   std::span<const std::string_view>, std::span<const std::string>, Bytes>;

  AttributeValue(bool v) noexcept : v_(v) {}
  // Any integer type; unsigned values above INT64_MAX wrap (OTLP has only int64).
  template <std::integral T>
  requires(!std::same_as<T, bool>) AttributeValue(T v)
  noexcept : v_(static_cast<std::int64_t>(v)) {}
  template <std::floating_point T>
  AttributeValue(T v) noexcept : v_(static_cast<double>(v)) {}
  AttributeValue(const char* v) noexcept : v_(std::string_view(v)) {}
  AttributeValue(std::string_view v) noexcept : v_(v) {}
  AttributeValue(const std::string& v) noexcept : v_(std::string_view(v)) {}
  AttributeValue(std::span<const bool> v) noexcept : v_(v) {}
  AttributeValue(std::span<const std::int64_t> v) noexcept : v_(v) {}
  AttributeValue(const std::vector<std::int64_t>& v) noexcept
      : v_(std::span<const std::int64_t>(v)) {}
  AttributeValue(std::span<const double> v) noexcept : v_(v) {}
  AttributeValue(const std::vector<double>& v) noexcept : v_(std::span<const double>(v)) {}
  AttributeValue(std::span<const std::string_view> v) noexcept : v_(v) {}
  AttributeValue(const std::vector<std::string_view>& v) noexcept
      : v_(std::span<const std::string_view>(v)) {}
  AttributeValue(std::span<const std::string> v) noexcept : v_(v) {}
  AttributeValue(const std::vector<std::string>& v) noexcept
      : v_(std::span<const std::string>(v)) {}
  AttributeValue(Bytes v) noexcept : v_(v) {}

  const Variant& variant() const noexcept { return v_; }

 private:
  Variant v_;
};

// One key/value pair, e.g. in `span.AddEvent("retry", {{"attempt", 2}})`.
struct KeyValue {
  std::string_view key;
  AttributeValue value;
};

}  // namespace blogtrace::telemetry
