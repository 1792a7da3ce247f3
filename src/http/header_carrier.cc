#include "http/header_carrier.h"

namespace blogtrace::http {

std::optional<std::string_view> HeaderCarrier::Get(std::string_view key) const {
  auto [first, last] = read_.equal_range(key);
  if (first == last) return std::nullopt;
  if (std::next(first) == last) return first->value();
  std::string joined;
  for (auto it = first; it != last; ++it) {
    if (!joined.empty()) joined += ',';
    joined += it->value();
  }
  return joined_.emplace_front(std::move(joined));
}

void HeaderCarrier::Set(std::string_view key, std::string_view value) {
  if (write_ != nullptr) write_->set(key, value);
}

}  // namespace blogtrace::http
