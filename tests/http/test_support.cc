#include "test_support.h"

#include <sys/socket.h>
#include <sys/time.h>

#include <sstream>

#include <gtest/gtest.h>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

namespace blogtrace::http::testing {

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

namespace {
ServerOptions OnLoopback(ServerOptions options) {
  options.address = {"127.0.0.1", 0};
  return options;
}
}  // namespace

RunningServer::RunningServer(Router router, const ServerOptions& options,
                             std::vector<Middleware> middleware, ServerTracing tracing)
    : server_(OnLoopback(options), std::move(router), std::move(middleware), tracing) {
  Status started = server_.Start();
  if (!started.ok()) throw std::runtime_error(started.error().message);
  thread_ = std::thread([this] { server_.Run(); });
}

RunningServer::~RunningServer() { Stop(); }

void RunningServer::Stop() {
  server_.Stop();
  if (thread_.joinable()) thread_.join();
}

RawConnection::RawConnection(std::uint16_t port, std::chrono::milliseconds receive_timeout)
    : socket_(ioc_) {
  socket_.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  timeval tv{};
  tv.tv_sec = receive_timeout.count() / 1000;
  tv.tv_usec = (receive_timeout.count() % 1000) * 1000;
  ::setsockopt(socket_.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(socket_.native_handle(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

bool RawConnection::Write(std::string_view bytes) {
  boost::system::error_code ec;
  asio::write(socket_, asio::buffer(bytes.data(), bytes.size()), ec);
  return !ec;
}

std::optional<Response> RawConnection::Read(bool head) {
  bhttp::response_parser<bhttp::string_body> parser;
  parser.skip(head);
  parser.body_limit(64 * 1024 * 1024);
  boost::system::error_code ec;
  bhttp::read(socket_, buffer_, parser, ec);
  if (ec) return std::nullopt;
  return parser.release();
}

bool RawConnection::WaitClosed() {
  char scratch[4096];
  for (;;) {
    boost::system::error_code ec;
    socket_.read_some(asio::buffer(scratch), ec);
    if (ec == asio::error::eof || ec == asio::error::connection_reset) return true;
    if (ec) return false;  // the receive timeout
  }
}

std::uint16_t RawConnection::local_port() const { return socket_.local_endpoint().port(); }

Request MakeRequest(bhttp::verb method, std::string target, std::string body,
                    std::string content_type) {
  Request req{method, target, 11};
  req.set(bhttp::field::host, "127.0.0.1");
  if (!content_type.empty()) req.set(bhttp::field::content_type, content_type);
  req.body() = std::move(body);
  req.prepare_payload();
  return req;
}

std::string Wire(const Request& request) {
  std::ostringstream out;
  out << request;
  return out.str();
}

}  // namespace blogtrace::http::testing
