#include "collector/blocking_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

namespace blogtrace::collector {

namespace asio = boost::asio;
namespace beast = boost::beast;

Result<http::Response> SendBlocking(const HostPort& address, http::Request request,
                                    std::chrono::milliseconds timeout) {
  asio::io_context io;
  beast::tcp_stream stream(io);
  beast::error_code ec;
  asio::ip::tcp::resolver resolver(io);
  auto endpoints = resolver.resolve(address.host, std::to_string(address.port), ec);
  auto fail = [&](std::string_view what) {
    return Error::Unavailable("cannot " + std::string(what) + " " + address.ToString() + ": " +
                              ec.message());
  };
  if (ec) return fail("resolve");
  // Each step gets the whole timeout: the operations are sequential and short.
  stream.expires_after(timeout);
  stream.connect(endpoints, ec);
  if (ec) return fail("connect to");
  request.set(beast::http::field::host, address.ToString());
  request.keep_alive(false);
  request.prepare_payload();
  stream.expires_after(timeout);
  beast::http::write(stream, request, ec);
  if (ec) return fail("send to");
  beast::flat_buffer buffer;
  beast::http::response_parser<beast::http::string_body> parser;
  parser.body_limit(256 * 1024 * 1024);
  stream.expires_after(timeout);
  beast::http::read(stream, buffer, parser, ec);
  if (ec) return fail("read from");
  stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ec);
  return parser.release();
}

Result<http::Response> GetBlocking(const HostPort& address, std::string_view target,
                                   std::chrono::milliseconds timeout) {
  http::Request request{beast::http::verb::get, target, 11};
  request.set(beast::http::field::accept, "application/json");
  return SendBlocking(address, std::move(request), timeout);
}

}  // namespace blogtrace::collector
