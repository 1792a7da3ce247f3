#include "http/client.h"

#include <atomic>
#include <future>
#include <set>

#include <gtest/gtest.h>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <nlohmann/json.hpp>

#include "http/response.h"
#include "test_support.h"

namespace blogtrace::http {
namespace {

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using testing::MakeRequest;
using testing::RunAwaitable;
using testing::RunningServer;
using namespace std::chrono_literals;

// An upstream written with blocking sockets, for misbehaviour our Server never shows. Each
// accepted connection is served by `serve(socket, index)` on the accept thread, one at a time.
class RawUpstream {
 public:
  using Serve = std::function<void(tcp::socket&, int index)>;
  explicit RawUpstream(Serve serve)
      : acceptor_(ioc_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)),
        serve_(std::move(serve)) {
    thread_ = std::thread([this] {
      for (int index = 0;; ++index) {
        tcp::socket socket(ioc_);
        boost::system::error_code ec;
        acceptor_.accept(socket, ec);
        if (ec || stopping_) return;
        ++accepts_;
        serve_(socket, index);
      }
    });
  }
  ~RawUpstream() {
    stopping_ = true;
    tcp::socket wake(ioc_);
    boost::system::error_code ec;
    wake.connect(acceptor_.local_endpoint(), ec);
    thread_.join();
  }
  std::uint16_t port() const { return acceptor_.local_endpoint().port(); }
  int accepts() const { return accepts_; }

 private:
  asio::io_context ioc_;
  tcp::acceptor acceptor_;
  Serve serve_;
  std::atomic<bool> stopping_{false};
  std::atomic<int> accepts_{0};
  std::thread thread_;
};

// Reads one request from `socket` (false on EOF/error).
bool ReadRequest(tcp::socket& socket, boost::beast::flat_buffer& buffer) {
  Request req;
  boost::system::error_code ec;
  bhttp::read(socket, buffer, req, ec);
  return !ec;
}

void WriteOk(tcp::socket& socket) {
  Response res{bhttp::status::ok, 11};
  res.body() = "{}";
  res.keep_alive(true);
  res.prepare_payload();
  boost::system::error_code ec;
  bhttp::write(socket, res, ec);
}

ClientOptions Options(std::uint16_t port) {
  ClientOptions o;
  o.upstream = {"127.0.0.1", port};
  o.upstream_name = "user service";
  return o;
}

Result<Response> SendOnce(asio::io_context& ioc, Client& client, Request req,
                          std::chrono::steady_clock::duration deadline = 30s) {
  return RunAwaitable<Result<Response>>(ioc, [&]() -> asio::awaitable<Result<Response>> {
    RequestContext ctx;
    ctx.deadline = std::chrono::steady_clock::now() + deadline;
    co_return co_await client.Send(ctx, "/items/{id}", std::move(req));
  });
}

TEST(ClientTest, PoolReusesOneConnection) {
  Router router;
  router.Add(bhttp::verb::get, "/items/{id}",
             [](const Request&, RequestContext& ctx) -> asio::awaitable<Response> {
               co_return JsonResponse(200, {{"peer_port", ctx.peer_port}});
             });
  RunningServer server(std::move(router));
  asio::io_context ioc;
  Client client(Options(server.port()));
  std::set<int> server_side_connections;
  for (int i = 0; i < 5; ++i) {
    auto res = SendOnce(ioc, client, MakeRequest(bhttp::verb::get, "/items/1"));
    ASSERT_TRUE(res.ok()) << res.error().message;
    ASSERT_EQ(res->result_int(), 200u);
    server_side_connections.insert(nlohmann::json::parse(res->body())["peer_port"].get<int>());
  }
  EXPECT_EQ(server_side_connections.size(), 1u);
  EXPECT_EQ(client.connections_opened(), 1u);
}

TEST(ClientTest, ConcurrentCallsEachGetAnAnswer) {
  Router router;
  router.Add(bhttp::verb::get, "/items/{id}",
             [](const Request&, RequestContext& ctx) -> asio::awaitable<Response> {
               co_return JsonResponse(200, {{"id", ctx.Param("id")}});
             });
  RunningServer server(std::move(router));
  asio::io_context ioc;
  Client client(Options(server.port()));
  std::vector<std::string> ids(8);
  for (int i = 0; i < 8; ++i) {
    asio::co_spawn(
        ioc,
        [&, i]() -> asio::awaitable<void> {
          RequestContext ctx;
          auto res = co_await client.Send(
              ctx, "/items/{id}", MakeRequest(bhttp::verb::get, "/items/" + std::to_string(i)));
          if (res.ok()) ids[i] = nlohmann::json::parse(res->body())["id"];
        },
        asio::detached);
  }
  ioc.run();
  for (int i = 0; i < 8; ++i) EXPECT_EQ(ids[i], std::to_string(i));
  EXPECT_LE(client.connections_opened(), 8u);
}

TEST(ClientTest, UpstreamDownIsUnavailable) {
  std::uint16_t port;
  {
    asio::io_context ioc;
    tcp::acceptor probe(ioc, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    port = probe.local_endpoint().port();
  }
  asio::io_context ioc;
  Client client(Options(port));
  auto res = SendOnce(ioc, client, MakeRequest(bhttp::verb::get, "/items/1"));
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(res.error().message, "user service is unavailable");
  EXPECT_EQ(ErrorResponse(res.error()).result_int(), 503u);
}

TEST(ClientTest, SlowUpstreamTimesOutWithinTheBound) {
  Router router;
  router.Add(bhttp::verb::get, "/items/{id}",
             [](const Request&, RequestContext&) -> asio::awaitable<Response> {
               asio::steady_timer timer(co_await asio::this_coro::executor, 10s);
               co_await timer.async_wait(asio::use_awaitable);
               co_return JsonResponse(200, {});
             });
  ServerOptions server_options;
  server_options.shutdown_grace = 100ms;
  RunningServer server(std::move(router), server_options);
  ClientOptions options = Options(server.port());
  options.request_timeout = 300ms;
  asio::io_context ioc;
  Client client(options);
  auto start = std::chrono::steady_clock::now();
  auto res = SendOnce(ioc, client, MakeRequest(bhttp::verb::get, "/items/1"));
  auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(res.error().message, "user service did not answer in time");
  EXPECT_GE(elapsed, 250ms);
  EXPECT_LT(elapsed, 2s);

  // The request context's deadline bounds the call too.
  options.request_timeout = 30s;
  Client patient(options);
  start = std::chrono::steady_clock::now();
  res = SendOnce(ioc, patient, MakeRequest(bhttp::verb::get, "/items/1"), 200ms);
  ASSERT_FALSE(res.ok());
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
}

TEST(ClientTest, StaleKeptAliveConnectionIsRetriedOnANewOne) {
  // The first connection answers once, then takes the next request and closes without answering
  // (the upstream's idle close racing the request).
  RawUpstream upstream([](tcp::socket& socket, int index) {
    boost::beast::flat_buffer buffer;
    if (index == 0) {
      if (ReadRequest(socket, buffer)) WriteOk(socket);
      ReadRequest(socket, buffer);
      socket.close();
      return;
    }
    while (ReadRequest(socket, buffer)) WriteOk(socket);
  });
  asio::io_context ioc;
  Client client(Options(upstream.port()));
  ASSERT_TRUE(SendOnce(ioc, client, MakeRequest(bhttp::verb::get, "/items/1")).ok());
  auto res = SendOnce(ioc, client, MakeRequest(bhttp::verb::get, "/items/2"));
  ASSERT_TRUE(res.ok()) << res.error().message;
  EXPECT_EQ(res->result_int(), 200u);
  EXPECT_EQ(upstream.accepts(), 2);
}

TEST(ClientTest, SentNonIdempotentRequestIsNotRetried) {
  RawUpstream upstream([](tcp::socket& socket, int index) {
    boost::beast::flat_buffer buffer;
    if (index == 0) {
      if (ReadRequest(socket, buffer)) WriteOk(socket);
      ReadRequest(socket, buffer);
      socket.close();
      return;
    }
    while (ReadRequest(socket, buffer)) WriteOk(socket);
  });
  asio::io_context ioc;
  Client client(Options(upstream.port()));
  ASSERT_TRUE(SendOnce(ioc, client, MakeRequest(bhttp::verb::get, "/items/1")).ok());
  auto res =
      SendOnce(ioc, client, MakeRequest(bhttp::verb::post, "/items", "{}", "application/json"));
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(upstream.accepts(), 1);
}

TEST(ClientTest, IdleConnectionClosedByUpstreamIsNotReused) {
  std::promise<void> closed;
  RawUpstream upstream([&closed](tcp::socket& socket, int index) {
    boost::beast::flat_buffer buffer;
    if (ReadRequest(socket, buffer)) WriteOk(socket);  // says keep-alive, then closes
    socket.close();
    if (index == 0) closed.set_value();
  });
  asio::io_context ioc;
  Client client(Options(upstream.port()));
  ASSERT_TRUE(
      SendOnce(ioc, client, MakeRequest(bhttp::verb::post, "/items", "{}", "application/json"))
          .ok());
  closed.get_future().wait();
  auto res =
      SendOnce(ioc, client, MakeRequest(bhttp::verb::post, "/items", "{}", "application/json"));
  ASSERT_TRUE(res.ok()) << res.error().message;
  EXPECT_EQ(client.connections_opened(), 2u);
}

}  // namespace
}  // namespace blogtrace::http
