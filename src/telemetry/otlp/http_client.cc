#include "telemetry/otlp/http_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace blogtrace::telemetry::otlp {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

std::optional<HttpUrl> ParseHttpUrl(std::string_view url) {
  HttpUrl out;
  auto sep = url.find("://");
  if (sep == std::string_view::npos) return std::nullopt;
  out.scheme = std::string(url.substr(0, sep));
  for (auto& c : out.scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (out.scheme != "http" && out.scheme != "https") return std::nullopt;
  url.remove_prefix(sep + 3);
  auto slash = url.find('/');
  std::string_view authority = url.substr(0, slash);
  out.target = slash == std::string_view::npos ? "/" : std::string(url.substr(slash));
  if (authority.empty()) return std::nullopt;
  if (authority.front() == '[') {  // [IPv6]:port
    auto close = authority.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    out.host = std::string(authority.substr(1, close - 1));
    authority.remove_prefix(close + 1);
    if (!authority.empty() && authority.front() == ':') out.port = std::string(authority.substr(1));
  } else {
    auto colon = authority.rfind(':');
    out.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) out.port = std::string(authority.substr(colon + 1));
  }
  if (out.host.empty()) return std::nullopt;
  if (out.port.empty()) out.port = out.scheme == "https" ? "443" : "80";
  for (char c : out.port)
    if (c < '0' || c > '9') return std::nullopt;
  return out;
}

struct HttpClient::Impl {
  asio::io_context ioc;
  std::optional<beast::tcp_stream> stream;
  std::string connected_host, connected_port;
  beast::flat_buffer buffer;

  // Runs queued async work to completion (the operations carry their own timeouts).
  void Run() {
    ioc.restart();
    ioc.run();
  }

  beast::error_code Connect(const HttpUrl& url, std::chrono::steady_clock::time_point deadline) {
    stream.reset();
    buffer.clear();
    beast::error_code ec;
    tcp::resolver resolver(ioc);
    tcp::resolver::results_type endpoints;
    asio::steady_timer timer(ioc, deadline);
    resolver.async_resolve(url.host, url.port,
                           [&](beast::error_code e, tcp::resolver::results_type r) {
                             ec = e;
                             endpoints = std::move(r);
                             timer.cancel();
                           });
    timer.async_wait([&](beast::error_code e) {
      if (!e) resolver.cancel();
    });
    Run();
    if (ec) return ec;
    stream.emplace(ioc);
    stream->expires_at(deadline);
    stream->async_connect(endpoints, [&](beast::error_code e, const tcp::endpoint&) { ec = e; });
    Run();
    if (ec) {
      stream.reset();
      return ec;
    }
    stream->socket().set_option(tcp::no_delay(true), ec);
    connected_host = url.host;
    connected_port = url.port;
    return {};
  }
};

HttpClient::HttpClient() : impl_(std::make_unique<Impl>()) {}
HttpClient::~HttpClient() = default;

void HttpClient::Close() {
  if (impl_->stream) {
    beast::error_code ec;
    impl_->stream->socket().shutdown(tcp::socket::shutdown_both, ec);
    impl_->stream.reset();
  }
}

std::optional<HttpResponse> HttpClient::Post(
    const HttpUrl& url, const std::vector<std::pair<std::string, std::string>>& headers,
    std::string_view body, std::chrono::steady_clock::time_point deadline, std::string& error) {
  Impl& d = *impl_;
  http::request<http::string_body> req{http::verb::post, url.target, 11};
  req.set(http::field::host, url.host + ":" + url.port);
  req.set(http::field::user_agent, "blogtrace-otlp-exporter/0.1");
  for (const auto& [k, v] : headers) req.set(k, v);
  req.keep_alive(true);
  req.body().assign(body.data(), body.size());
  req.prepare_payload();

  for (int attempt = 0; attempt < 2; ++attempt) {
    bool reused =
        d.stream.has_value() && d.connected_host == url.host && d.connected_port == url.port;
    if (!reused) {
      if (auto ec = d.Connect(url, deadline)) {
        error = "connect to " + url.host + ":" + url.port + ": " + ec.message();
        return std::nullopt;
      }
    }
    beast::error_code ec;
    d.stream->expires_at(deadline);
    http::async_write(*d.stream, req, [&](beast::error_code e, std::size_t) { ec = e; });
    d.Run();
    http::response<http::string_body> res;
    if (!ec) {
      http::response_parser<http::string_body> parser;
      parser.body_limit(16 * 1024 * 1024);
      http::async_read(*d.stream, d.buffer, parser,
                       [&](beast::error_code e, std::size_t) { ec = e; });
      d.Run();
      if (!ec) res = parser.release();
    }
    if (ec) {
      Close();
      // A kept-alive connection may have been closed by the server while idle: retry once fresh.
      if (reused && ec != beast::error::timeout && std::chrono::steady_clock::now() < deadline)
        continue;
      error = "POST " + url.target + " to " + url.host + ":" + url.port + ": " + ec.message();
      return std::nullopt;
    }
    HttpResponse out;
    out.status = static_cast<int>(res.result_int());
    out.body = std::move(res.body());
    if (auto it = res.find(http::field::retry_after); it != res.end())
      out.retry_after = std::string(it->value());
    if (!res.keep_alive()) Close();
    return out;
  }
  error = "POST failed";
  return std::nullopt;
}

}  // namespace blogtrace::telemetry::otlp
