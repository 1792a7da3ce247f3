#include "http_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace blogtrace::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;

std::optional<std::string> HttpReply::Header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (beast::iequals(key, name)) return value;
  }
  return std::nullopt;
}

nlohmann::json HttpReply::Json() const {
  return nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
}

HttpReply Send(const HostPort& address, const HttpCall& call) {
  HttpReply reply;
  asio::io_context io;
  beast::tcp_stream stream(io);
  asio::ip::tcp::resolver resolver(io);

  // The request is written raw so tests can send what Beast would refuse to serialise.
  std::string head = call.method + " " + call.target + " HTTP/1.1\r\nHost: " + address.ToString() +
                     "\r\nConnection: close\r\n";
  for (const auto& [key, value] : call.headers) head += key + ": " + value + "\r\n";
  bool has_length = false;
  for (const auto& [key, value] : call.headers) has_length |= beast::iequals(key, "Content-Length");
  if (!has_length && (!call.body.empty() || call.method == "POST")) {
    head += "Content-Length: " + std::to_string(call.body.size()) + "\r\n";
  }
  head += "\r\n";
  std::string wire = head + call.body;

  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  parser.header_limit(1024 * 1024);
  bool read_done = false;

  resolver.async_resolve(address.host, std::to_string(address.port),
                         [&](beast::error_code ec, asio::ip::tcp::resolver::results_type results) {
                           if (ec) {
                             reply.transport_error = "resolve: " + ec.message();
                             return;
                           }
                           stream.async_connect(results, [&](beast::error_code ec, auto) {
                             if (ec) {
                               reply.transport_error = "connect: " + ec.message();
                               return;
                             }
                             // Write and read at once: a server may answer (413, 431) before
                             // reading everything.
                             asio::async_write(stream.socket(), asio::buffer(wire),
                                               [&](beast::error_code, std::size_t) {});
                             bhttp::async_read(stream, buffer, parser,
                                               [&](beast::error_code ec, std::size_t) {
                                                 read_done = true;
                                                 if (ec)
                                                   reply.transport_error = "read: " + ec.message();
                                                 stream.socket().close(ec);
                                               });
                           });
                         });
  io.run_for(call.timeout);
  if (!read_done && reply.transport_error.empty()) reply.transport_error = "timed out";
  if (parser.is_header_done()) {
    const auto& response = parser.get();
    reply.status = response.result_int();
    for (const auto& field : response) {
      reply.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    }
    reply.body = response.body();
    if (!parser.is_done()) reply.transport_error += " (body incomplete)";
  }
  return reply;
}

HttpReply Get(const HostPort& address, const std::string& target,
              std::vector<std::pair<std::string, std::string>> headers) {
  return Send(address, {"GET", target, std::move(headers), ""});
}

HttpReply PostJson(const HostPort& address, const std::string& target, const std::string& body,
                   std::vector<std::pair<std::string, std::string>> headers) {
  headers.emplace_back("Content-Type", "application/json");
  return Send(address, {"POST", target, std::move(headers), body});
}

}  // namespace blogtrace::testing
