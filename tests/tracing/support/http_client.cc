#include "http_client.h"

#include <strings.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace blogtrace::tracing_test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;

std::optional<std::string> HttpResponse::Header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (key.size() == name.size() && strncasecmp(key.data(), name.data(), name.size()) == 0) {
      return value;
    }
  }
  return std::nullopt;
}

HttpResponse SendHttp(const std::string& host, std::uint16_t port, const HttpRequest& request,
                      std::chrono::milliseconds timeout) {
  HttpResponse out;
  asio::io_context io;
  beast::tcp_stream stream(io);
  http::request<http::string_body> req;
  req.method_string(request.method);
  req.target(request.target);
  req.version(11);
  req.set(http::field::host, host + ":" + std::to_string(port));
  req.keep_alive(false);
  bool has_type = false;
  for (const auto& [key, value] : request.headers) {
    req.set(key, value);
    if (strcasecmp(key.c_str(), "content-type") == 0) has_type = true;
  }
  if (!request.body.empty() && !has_type) req.set(http::field::content_type, "application/json");
  req.body() = request.body;
  req.prepare_payload();

  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(16 * 1024 * 1024);
  beast::error_code result = asio::error::would_block;
  stream.expires_after(timeout);
  tcp::endpoint endpoint(asio::ip::make_address(host), port);
  // Chained async steps so the one expiry bounds connect, write and read together.
  stream.async_connect(endpoint, [&](beast::error_code ec) {
    if (ec) {
      result = ec;
      return;
    }
    http::async_write(stream, req, [&](beast::error_code write_ec, std::size_t) {
      if (write_ec) {
        result = write_ec;
        return;
      }
      http::async_read(stream, buffer, parser,
                       [&](beast::error_code read_ec, std::size_t) { result = read_ec; });
    });
  });
  io.run();
  if (result) {
    out.error = result.message();
    return out;
  }
  const auto& res = parser.get();
  out.status = static_cast<int>(res.result_int());
  for (const auto& field : res) {
    out.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  }
  out.body = res.body();
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
  return out;
}

}  // namespace blogtrace::tracing_test
