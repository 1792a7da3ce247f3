// e2e_hop_server: the platform limit for bench/e2e. A bare Boost.Beast HTTP/1.1 server with no
// routing, tracing, validation or storage: with --upstream it forwards every request as a GET
// over its own keep-alive connection to the upstream (one per client connection, as the services'
// pooled client holds them once warm) and answers with --body-bytes bytes once the upstream
// answered; without, it answers at once. Two of them (client -> A -> B) do the read path's two
// keep-alive hops with no work, so `GET /blogs` can be reported as a fraction of what this machine
// does at all. Like the services it runs two I/O threads. Stops on SIGINT/SIGTERM.
//
//   e2e_hop_server --listen PORT [--upstream PORT] [--body-bytes N]
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

struct Options {
  unsigned short listen = 0;
  std::optional<unsigned short> upstream;
  std::size_t body_bytes = 100;
};

// One client connection: read a request, (ask the upstream,) answer, until the client closes.
asio::awaitable<void> Serve(tcp::socket socket, const Options& options, const std::string& body) {
  beast::flat_buffer buffer;
  std::optional<tcp::socket> upstream;
  beast::flat_buffer upstream_buffer;
  const tcp::endpoint upstream_at(asio::ip::address_v4::loopback(), options.upstream.value_or(0));
  try {
    for (;;) {
      http::request<http::string_body> request;
      co_await http::async_read(socket, buffer, request, asio::use_awaitable);
      if (options.upstream) {
        if (!upstream) {
          upstream.emplace(socket.get_executor());
          co_await upstream->async_connect(upstream_at, asio::use_awaitable);
          upstream->set_option(tcp::no_delay(true));
        }
        http::request<http::empty_body> hop(http::verb::get, "/hop", 11);
        hop.set(http::field::host, "127.0.0.1");
        co_await http::async_write(*upstream, hop, asio::use_awaitable);
        http::response<http::string_body> answer;
        co_await http::async_read(*upstream, upstream_buffer, answer, asio::use_awaitable);
      }
      http::response<http::string_body> response(http::status::ok, request.version());
      response.set(http::field::content_type, "application/json");
      response.keep_alive(request.keep_alive());
      response.body() = body;
      response.prepare_payload();
      co_await http::async_write(socket, response, asio::use_awaitable);
      if (!request.keep_alive()) break;
    }
  } catch (const std::exception&) {
    // The client (or upstream) closed: this connection is done.
  }
}

asio::awaitable<void> Accept(tcp::acceptor& acceptor, const Options& options,
                             const std::string& body) {
  for (;;) {
    tcp::socket socket(asio::make_strand(acceptor.get_executor()));
    co_await acceptor.async_accept(socket, asio::use_awaitable);
    socket.set_option(tcp::no_delay(true));
    auto executor = socket.get_executor();
    asio::co_spawn(executor, Serve(std::move(socket), options, body), asio::detached);
  }
}

bool ParsePort(const char* text, unsigned short& out) {
  char* end = nullptr;
  const long value = std::strtol(text, &end, 10);
  if (*text == '\0' || *end != '\0' || value < 1 || value > 65535) return false;
  out = static_cast<unsigned short>(value);
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  for (int i = 1; i + 1 < argc; i += 2) {
    unsigned short port = 0;
    if (std::strcmp(argv[i], "--listen") == 0 && ParsePort(argv[i + 1], port)) {
      options.listen = port;
    } else if (std::strcmp(argv[i], "--upstream") == 0 && ParsePort(argv[i + 1], port)) {
      options.upstream = port;
    } else if (std::strcmp(argv[i], "--body-bytes") == 0) {
      options.body_bytes = static_cast<std::size_t>(std::strtoul(argv[i + 1], nullptr, 10));
    } else {
      std::fprintf(stderr,
                   "usage: e2e_hop_server --listen PORT [--upstream PORT] [--body-bytes N]\n");
      return 2;
    }
  }
  if (options.listen == 0 || argc % 2 == 0) {
    std::fprintf(stderr,
                 "usage: e2e_hop_server --listen PORT [--upstream PORT] [--body-bytes N]\n");
    return 2;
  }
  const std::string body = "{\"x\":\"" + std::string(options.body_bytes, 'x') + "\"}";
  asio::io_context io(2);
  tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::address_v4::loopback(), options.listen));
  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code&, int) { io.stop(); });
  asio::co_spawn(io, Accept(acceptor, options, body), asio::detached);
  std::thread second([&] { io.run(); });
  io.run();
  second.join();
  return 0;
}
