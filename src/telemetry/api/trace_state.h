// TraceState: the W3C `tracestate` list (Trace Context Level 2, section 3.3).
// https://www.w3.org/TR/trace-context-2/#tracestate-header
// An immutable value: mutators return a new TraceState. Copies share the entries (cheap; an empty
// TraceState holds no allocation). Thread-safe as a value.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace blogtrace::telemetry {

class TraceState {
 public:
  // At most this many list-members (section 3.3.1.1).
  static constexpr std::size_t kMaxMembers = 32;
  // Entries longer than this are the first removed when the list must shrink (section 3.3.1.5).
  static constexpr std::size_t kPreferredMaxEntrySize = 128;

  TraceState() noexcept = default;

  // Parses a (combined) header value. Empty list-members and OWS around members are allowed.
  // Returns nullopt when any member is malformed, a key repeats, or there are more than 32
  // members: the caller then discards the whole header, as the Recommendation requires.
  static std::optional<TraceState> Parse(std::string_view header);

  // simple-key / multi-tenant-key (`tenant@system`) grammar.
  static bool IsValidKey(std::string_view key) noexcept;
  // 1-256 printable ASCII characters except ',' and '=', not ending in a space.
  static bool IsValidValue(std::string_view value) noexcept;

  // The value for `key`, if present.
  std::optional<std::string_view> Get(std::string_view key) const noexcept;
  // A copy with `key=value` moved (or added) to the front, as a vendor updating its entry must do.
  // When the list would exceed 32 members, entries over 128 characters are dropped first, then the
  // right-most. An invalid key or value returns an unchanged copy.
  TraceState Set(std::string_view key, std::string_view value) const;
  // A copy without `key`.
  TraceState Delete(std::string_view key) const;

  // The header value: members joined by ','. Empty when there are none.
  const std::string& ToHeader() const noexcept;
  // The members, left to right.
  const std::vector<std::pair<std::string, std::string>>& entries() const noexcept;
  bool empty() const noexcept { return rep_ == nullptr; }
  std::size_t size() const noexcept { return rep_ ? rep_->entries.size() : 0; }

  friend bool operator==(const TraceState& a, const TraceState& b) noexcept {
    return a.ToHeader() == b.ToHeader();
  }

 private:
  struct Rep {
    std::vector<std::pair<std::string, std::string>> entries;
    std::string header;
  };
  static TraceState FromEntries(std::vector<std::pair<std::string, std::string>> entries);

  std::shared_ptr<const Rep> rep_;
};

}  // namespace blogtrace::telemetry
