// A small blocking HTTP/1.1 client for whole-system tests: one connection per call, bounded by
// a timeout, able to send oversized bodies and headers (it keeps reading the answer when the
// server stops reading the request).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/config.h"

namespace blogtrace::testing {

// A request to send.
struct HttpCall {
  std::string method = "GET";
  std::string target = "/";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::chrono::milliseconds timeout{10'000};
};

// What came back. status == 0 when nothing did (refused, timed out, reset before a response).
struct HttpReply {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string transport_error;

  // The first value of header `name` (case-insensitive).
  std::optional<std::string> Header(std::string_view name) const;
  // The body as JSON (null when it is not JSON).
  nlohmann::json Json() const;
};

// Sends `call` to `address` and reads the response.
HttpReply Send(const HostPort& address, const HttpCall& call);

// Shorthands. `headers` are added as given.
HttpReply Get(const HostPort& address, const std::string& target,
              std::vector<std::pair<std::string, std::string>> headers = {});
HttpReply PostJson(const HostPort& address, const std::string& target, const std::string& body,
                   std::vector<std::pair<std::string, std::string>> headers = {});

}  // namespace blogtrace::testing
