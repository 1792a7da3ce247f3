// Adapters that let propagators read and write Beast header fields.
#pragma once

#include <forward_list>
#include <optional>
#include <string>
#include <string_view>

#include <boost/beast/http/fields.hpp>

#include "telemetry/api/propagator.h"

namespace blogtrace::http {

// Reads (and, unless built from a const reference, writes) the fields of a request or response.
// Names are case-insensitive; a repeated field reads as its values joined with ",". Holds a
// reference: use it while the fields live. Not thread-safe.
class HeaderCarrier final : public telemetry::TextMapCarrier {
 public:
  explicit HeaderCarrier(boost::beast::http::fields& fields) noexcept
      : read_(fields), write_(&fields) {}
  explicit HeaderCarrier(const boost::beast::http::fields& fields) noexcept : read_(fields) {}

  std::optional<std::string_view> Get(std::string_view key) const override;
  // Replaces the field. Ignored for a carrier over const fields.
  void Set(std::string_view key, std::string_view value) override;

 private:
  const boost::beast::http::fields& read_;
  boost::beast::http::fields* write_ = nullptr;
  // Storage for joined repeated values; stable addresses, and (unlike std::deque) no allocation
  // until used: a carrier is built for every request and every outgoing call.
  mutable std::forward_list<std::string> joined_;
};

}  // namespace blogtrace::http
