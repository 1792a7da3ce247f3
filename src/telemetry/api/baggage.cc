#include "telemetry/api/baggage.h"

namespace blogtrace::telemetry {

Baggage::Baggage(std::vector<Entry> entries) {
  if (!entries.empty()) entries_ = std::make_shared<const std::vector<Entry>>(std::move(entries));
}

std::optional<std::string_view> Baggage::Get(std::string_view key) const noexcept {
  for (const auto& e : entries()) {
    if (e.key == key) return std::string_view(e.value);
  }
  return std::nullopt;
}

Baggage Baggage::Set(std::string_view key, std::string_view value,
                     std::string_view properties) const {
  std::vector<Entry> entries = this->entries();
  for (auto& e : entries) {
    if (e.key == key) {
      e.value = value;
      e.properties = properties;
      return Baggage(std::move(entries));
    }
  }
  entries.push_back(Entry{std::string(key), std::string(value), std::string(properties)});
  return Baggage(std::move(entries));
}

Baggage Baggage::Remove(std::string_view key) const {
  std::vector<Entry> entries;
  for (const auto& e : this->entries()) {
    if (e.key != key) entries.push_back(e);
  }
  return Baggage(std::move(entries));
}

const std::vector<Baggage::Entry>& Baggage::entries() const noexcept {
  static const std::vector<Entry> empty;
  return entries_ ? *entries_ : empty;
}

}  // namespace blogtrace::telemetry
