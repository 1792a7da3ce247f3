// A header map for propagator tests: case-insensitive names, repeated headers joined with ","
// (as an HTTP server combines them).
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "telemetry/api/propagator.h"

namespace blogtrace::telemetry::testing {

class MapCarrier final : public TextMapCarrier {
 public:
  MapCarrier() = default;
  MapCarrier(std::initializer_list<std::pair<std::string, std::string>> headers) {
    for (const auto& [k, v] : headers) Add(k, v);
  }
  void Add(std::string key, const std::string& value) {
    for (auto& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    auto it = headers_.find(key);
    if (it == headers_.end())
      headers_.emplace(key, value);
    else
      it->second += "," + value;
  }
  std::optional<std::string_view> Get(std::string_view key) const override {
    auto it = headers_.find(std::string(key));
    if (it == headers_.end()) return std::nullopt;
    return std::string_view(it->second);
  }
  void Set(std::string_view key, std::string_view value) override {
    headers_[std::string(key)] = std::string(value);
  }
  const std::map<std::string, std::string>& headers() const { return headers_; }

 private:
  std::map<std::string, std::string> headers_;
};

}  // namespace blogtrace::telemetry::testing
