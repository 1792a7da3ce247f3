// Helpers for tests over real sockets on 127.0.0.1: a server running on its own thread, a raw
// blocking connection with a receive timeout (so a broken server fails a test instead of hanging
// it), and a way to run a coroutine to completion.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>

#include "http/message.h"
#include "http/server.h"

namespace blogtrace::http::testing {

// A Server on 127.0.0.1, port 0, running on a background thread until destroyed.
class RunningServer {
 public:
  explicit RunningServer(Router router) : RunningServer(std::move(router), ServerOptions()) {}
  RunningServer(Router router, const ServerOptions& options,
                std::vector<Middleware> middleware = {}, ServerTracing tracing = {});
  ~RunningServer();
  std::uint16_t port() const { return server_.port(); }
  // Stops the server and waits for Run() to return.
  void Stop();

 private:
  Server server_;
  std::thread thread_;
};

// A blocking client connection that writes raw bytes and reads responses.
class RawConnection {
 public:
  explicit RawConnection(std::uint16_t port,
                         std::chrono::milliseconds receive_timeout = std::chrono::seconds(10));
  // Writes all of `bytes`; false when the peer refused them.
  bool Write(std::string_view bytes);
  // Reads one response (the answer to a HEAD request when `head`: no body); nullopt on EOF,
  // reset or timeout.
  std::optional<Response> Read(bool head = false);
  // Reads until the peer closes; true when it did (EOF or reset) before the receive timeout.
  bool WaitClosed();
  // The local port (identifies the connection on the server side).
  std::uint16_t local_port() const;

 private:
  boost::asio::io_context ioc_;
  boost::asio::ip::tcp::socket socket_;
  boost::beast::flat_buffer buffer_;
};

// Runs `make()`'s coroutine on `ioc` (on this thread) until it finishes and returns its value.
template <typename T>
T RunAwaitable(boost::asio::io_context& ioc, std::function<boost::asio::awaitable<T>()> make) {
  ioc.restart();
  std::optional<T> out;
  std::exception_ptr failure;
  boost::asio::co_spawn(
      ioc, [&]() -> boost::asio::awaitable<void> { out.emplace(co_await make()); },
      [&](std::exception_ptr e) { failure = e; });
  ioc.run();
  if (failure) std::rethrow_exception(failure);
  return std::move(*out);
}

// A request with the given method and target, Host set, HTTP/1.1.
Request MakeRequest(boost::beast::http::verb method, std::string target, std::string body = {},
                    std::string content_type = {});

// Serialises a request to its wire form.
std::string Wire(const Request& request);

}  // namespace blogtrace::http::testing
