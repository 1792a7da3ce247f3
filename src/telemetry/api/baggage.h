// Baggage: W3C Baggage name/value pairs propagated with a request.
// https://www.w3.org/TR/baggage/
// An immutable value: mutators return a new Baggage. Copies share the entries; an empty Baggage
// holds no allocation. Thread-safe as a value.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace blogtrace::telemetry {

class Baggage {
 public:
  // One list-member: decoded value plus its raw properties (";"-separated, as received).
  struct Entry {
    std::string key;
    std::string value;
    std::string properties;
    friend bool operator==(const Entry&, const Entry&) = default;
  };
  // W3C Baggage limits (section 3.3.1).
  static constexpr std::size_t kMaxMembers = 180;
  static constexpr std::size_t kMaxBytes = 8192;

  Baggage() noexcept = default;

  // The value for `key`, if present.
  std::optional<std::string_view> Get(std::string_view key) const noexcept;
  // A copy with `key` set to `value` (replacing an existing entry in place).
  Baggage Set(std::string_view key, std::string_view value, std::string_view properties = {}) const;
  // A copy without `key`.
  Baggage Remove(std::string_view key) const;
  const std::vector<Entry>& entries() const noexcept;
  bool empty() const noexcept { return entries_ == nullptr; }
  std::size_t size() const noexcept { return entries_ ? entries_->size() : 0; }

  friend bool operator==(const Baggage& a, const Baggage& b) noexcept {
    return a.entries() == b.entries();
  }

 private:
  explicit Baggage(std::vector<Entry> entries);
  std::shared_ptr<const std::vector<Entry>> entries_;
};

}  // namespace blogtrace::telemetry
