#include "http/server.h"

#include <future>
#include <set>

#include <gtest/gtest.h>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <nlohmann/json.hpp>

#include "http/response.h"
#include "test_support.h"

namespace blogtrace::http {
namespace {

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
using testing::MakeRequest;
using testing::RawConnection;
using testing::RunningServer;
using testing::Wire;
using namespace std::chrono_literals;

asio::awaitable<Response> Echo(const Request& req, RequestContext& ctx) {
  nlohmann::json body = {{"route", ctx.route},
                         {"id", ctx.Param("id")},
                         {"q", ctx.Query("q").value_or("")},
                         {"peer_port", ctx.peer_port},
                         {"method", req.method_string()},
                         {"span", ctx.span != nullptr}};
  co_return JsonResponse(200, body);
}

Router EchoRouter() {
  Router r;
  r.Add(bhttp::verb::get, "/items/{id}", Echo);
  r.Add(bhttp::verb::post, "/items",
        [](const Request& req, RequestContext&) -> asio::awaitable<Response> {
          auto body = ParseJsonBody(req);
          if (!body.ok()) co_return ErrorResponse(body.error());
          co_return JsonResponse(201, *body);
        });
  r.Add(bhttp::verb::get, "/throw",
        [](const Request&, RequestContext&) -> asio::awaitable<Response> {
          throw std::runtime_error("secret detail /etc/internal/path");
          co_return Response{};
        });
  return r;
}

nlohmann::json JsonOf(const Response& r) { return nlohmann::json::parse(r.body()); }

TEST(ServerTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  RunningServer server(EchoRouter());
  RawConnection conn(server.port());
  std::set<int> peer_ports;
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(conn.Write(Wire(MakeRequest(bhttp::verb::get, "/items/a%2Fb?q=x+y"))));
    auto res = conn.Read();
    ASSERT_TRUE(res);
    EXPECT_EQ(res->result_int(), 200u);
    EXPECT_TRUE(res->keep_alive());
    auto body = JsonOf(*res);
    EXPECT_EQ(body["route"], "/items/{id}");
    EXPECT_EQ(body["id"], "a/b");
    EXPECT_EQ(body["q"], "x y");
    EXPECT_EQ(body["span"], true);
    peer_ports.insert(body["peer_port"].get<int>());
  }
  EXPECT_EQ(peer_ports.size(), 1u);
  EXPECT_EQ(*peer_ports.begin(), conn.local_port());
}

TEST(ServerTest, PipelinedRequestsAreAnsweredInOrder) {
  RunningServer server(EchoRouter());
  RawConnection conn(server.port());
  ASSERT_TRUE(conn.Write(Wire(MakeRequest(bhttp::verb::get, "/items/1")) +
                         Wire(MakeRequest(bhttp::verb::get, "/items/2"))));
  auto first = conn.Read();
  auto second = conn.Read();
  ASSERT_TRUE(first && second);
  EXPECT_EQ(JsonOf(*first)["id"], "1");
  EXPECT_EQ(JsonOf(*second)["id"], "2");
}

TEST(ServerTest, UnknownPathIs404AndOtherMethodIs405WithAllow) {
  RunningServer server(EchoRouter());
  RawConnection conn(server.port());
  ASSERT_TRUE(conn.Write(Wire(MakeRequest(bhttp::verb::get, "/nothing"))));
  auto res = conn.Read();
  ASSERT_TRUE(res);
  EXPECT_EQ(res->result_int(), 404u);
  EXPECT_EQ(JsonOf(*res)["error"], "not_found");

  ASSERT_TRUE(conn.Write(Wire(MakeRequest(bhttp::verb::delete_, "/items/1"))));
  res = conn.Read();
  ASSERT_TRUE(res);
  EXPECT_EQ(res->result_int(), 405u);
  EXPECT_EQ((*res)[bhttp::field::allow], "GET, HEAD");
  EXPECT_EQ(JsonOf(*res)["error"], "method_not_allowed");
}

TEST(ServerTest, HeadIsServedByGetWithoutBody) {
  RunningServer server(EchoRouter());
  RawConnection conn(server.port());
  // Pipelined: if the HEAD answer carried a body, the GET answer would not parse.
  ASSERT_TRUE(conn.Write(Wire(MakeRequest(bhttp::verb::head, "/items/1")) +
                         Wire(MakeRequest(bhttp::verb::get, "/items/2"))));
  auto head = conn.Read(/*head=*/true);
  ASSERT_TRUE(head);
  EXPECT_EQ(head->result_int(), 200u);
  EXPECT_NE((*head)[bhttp::field::content_length], "0");
  auto get = conn.Read();
  ASSERT_TRUE(get);
  EXPECT_EQ(JsonOf(*get)["id"], "2");
}

TEST(ServerTest, BodyOver1MiBIs413WithReadableJson) {
  RunningServer server(EchoRouter());
  RawConnection conn(server.port());
  Request req = MakeRequest(bhttp::verb::post, "/items", std::string(2 * 1024 * 1024, 'x'),
                            "application/json");
  conn.Write(Wire(req));  // the server may stop reading early; the answer must still arrive
  auto res = conn.Read();
  ASSERT_TRUE(res) << "the client could not read the 413 answer";
  EXPECT_EQ(res->result_int(), 413u);
  EXPECT_EQ(JsonOf(*res)["error"], "payload_too_large");
  EXPECT_FALSE(res->keep_alive());
  EXPECT_TRUE(conn.WaitClosed());
}

TEST(ServerTest, ChunkedBodyOver1MiBIs413) {
  RunningServer server(EchoRouter());
  RawConnection conn(server.port());
  std::string wire =
      "POST /items HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Transfer-Encoding: chunked\r\n\r\n";
  std::string chunk(64 * 1024, 'x');
  char size_line[32];
  std::snprintf(size_line, sizeof size_line, "%zx\r\n", chunk.size());
  for (int i = 0; i < 20; ++i) wire += size_line + chunk + "\r\n";
  wire += "0\r\n\r\n";
  conn.Write(wire);
  auto res = conn.Read();
  ASSERT_TRUE(res);
  EXPECT_EQ(res->result_int(), 413u);
  EXPECT_EQ(JsonOf(*res)["error"], "payload_too_large");
}

TEST(ServerTest, BodyJustUnderTheLimitIsAccepted) {
  RunningServer server(EchoRouter());
  RawConnection conn(server.port());
  std::string body = R"({"a":")" + std::string(1024 * 1024 - 8, 'x') + R"("})";
  ASSERT_EQ(body.size(), 1024u * 1024u);
  ASSERT_TRUE(conn.Write(Wire(MakeRequest(bhttp::verb::post, "/items", body, "application/json"))));
  auto res = conn.Read();
  ASSERT_TRUE(res);
  EXPECT_EQ(res->result_int(), 201u);
}

TEST(ServerTest, ExpectContinueGets100BeforeTheBody) {
  RunningServer server(EchoRouter());
  RawConnection conn(server.port());
  std::string body = R"({"title":"x"})";
  ASSERT_TRUE(
      conn.Write("POST /items HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                 "Expect: 100-continue\r\nContent-Length: " +
                 std::to_string(body.size()) + "\r\n\r\n"));
  auto interim = conn.Read();
  ASSERT_TRUE(interim);
  EXPECT_EQ(interim->result_int(), 100u);
  ASSERT_TRUE(conn.Write(body));
  auto res = conn.Read();
  ASSERT_TRUE(res);
  EXPECT_EQ(res->result_int(), 201u);
  EXPECT_EQ(JsonOf(*res)["title"], "x");
}

TEST(ServerTest, ExpectContinueWithTooLargeBodyGets413Directly) {
  RunningServer server(EchoRouter());
  RawConnection conn(server.port());
  ASSERT_TRUE(
      conn.Write("POST /items HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                 "Expect: 100-continue\r\nContent-Length: 2097152\r\n\r\n"));
  auto res = conn.Read();
  ASSERT_TRUE(res);
  EXPECT_EQ(res->result_int(), 413u);
}

TEST(ServerTest, HeadersOver16KiBAre431) {
  RunningServer server(EchoRouter());
  RawConnection conn(server.port());
  Request req = MakeRequest(bhttp::verb::get, "/items/1");
  req.set("X-Big", std::string(20 * 1024, 'a'));
  conn.Write(Wire(req));
  auto res = conn.Read();
  ASSERT_TRUE(res);
  EXPECT_EQ(res->result_int(), 431u);
  EXPECT_EQ(JsonOf(*res)["error"], "headers_too_large");
  EXPECT_TRUE(conn.WaitClosed());
}

TEST(ServerTest, MoreThan100HeadersAre431) {
  RunningServer server(EchoRouter());
  RawConnection conn(server.port());
  Request req = MakeRequest(bhttp::verb::get, "/items/1");  // Host is one field
  for (int i = 0; i < 100; ++i) req.insert("X-H" + std::to_string(i), "v");
  conn.Write(Wire(req));
  auto res = conn.Read();
  ASSERT_TRUE(res);
  EXPECT_EQ(res->result_int(), 431u);
  EXPECT_EQ(JsonOf(*res)["error"], "headers_too_large");

  RawConnection ok(server.port());
  Request fine = MakeRequest(bhttp::verb::get, "/items/1");
  for (int i = 0; i < 99; ++i) fine.insert("X-H" + std::to_string(i), "v");
  ok.Write(Wire(fine));
  res = ok.Read();
  ASSERT_TRUE(res);
  EXPECT_EQ(res->result_int(), 200u);
}

// The 16 KiB limit is on the whole head, not on one field: 34 fields of 500 bytes (about 17 KiB)
// sent in one write must get 431, while 30 of them (about 15 KiB) are fine.
std::string ManyHeaders(int count) {
  std::string wire = "GET /items/1 HTTP/1.1\r\nHost: x\r\n";
  for (int i = 0; i < count; ++i) {
    wire += "X-P" + std::to_string(i) + ": " + std::string(500, 'b') + "\r\n";
  }
  return wire + "\r\n";
}

TEST(ServerTest, HeadersOver16KiBInAllAre431EvenWhenEachIsSmall) {
  RunningServer server(EchoRouter());
  RawConnection conn(server.port());
  std::string wire = ManyHeaders(34);
  ASSERT_GT(wire.size(), 16u * 1024u);
  ASSERT_TRUE(conn.Write(wire));  // the whole head in one write
  auto res = conn.Read();
  ASSERT_TRUE(res) << "the client could not read the 431 answer";
  EXPECT_EQ(res->result_int(), 431u);
  EXPECT_EQ(JsonOf(*res)["error"], "headers_too_large");
  EXPECT_FALSE(res->keep_alive());
  EXPECT_TRUE(conn.WaitClosed());

  RawConnection ok(server.port());
  std::string fine = ManyHeaders(30);
  ASSERT_LT(fine.size(), 16u * 1024u);
  ASSERT_TRUE(ok.Write(fine));
  res = ok.Read();
  ASSERT_TRUE(res);
  EXPECT_EQ(res->result_int(), 200u);
}

// A client that keeps sending a body far over the limit (8 MiB) must still read the 413: the
// server keeps reading and discarding after answering instead of closing with unread input
// (which would reset the connection and lose the answer).
TEST(ServerTest, HugeBodyStillBeingSentGetsReadable413) {
  RunningServer server(EchoRouter());
  RawConnection conn(server.port());
  const std::size_t size = 8 * 1024 * 1024;
  std::string wire =
      "POST /items HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Content-Length: " +
      std::to_string(size) + "\r\n\r\n" + std::string(size, ' ');
  EXPECT_TRUE(conn.Write(wire)) << "the server reset the connection while the body was sent";
  auto res = conn.Read();
  ASSERT_TRUE(res) << "the client could not read the 413 answer";
  EXPECT_EQ(res->result_int(), 413u);
  EXPECT_EQ(JsonOf(*res)["error"], "payload_too_large");
  EXPECT_FALSE(res->keep_alive());
  EXPECT_TRUE(conn.WaitClosed());
}

// Draining after an error answer is bounded: a client that never stops sending is disconnected
// within a few seconds instead of holding the connection.
TEST(ServerTest, DrainAfterErrorAnswerIsBoundedInTime) {
  RunningServer server(EchoRouter());
  RawConnection conn(server.port(), 5s);
  ASSERT_TRUE(
      conn.Write("POST /items HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                 "Content-Length: 1000000000\r\n\r\n"));
  std::string chunk(256 * 1024, ' ');
  auto started = std::chrono::steady_clock::now();
  bool refused = false;
  // 1 GB (4000 chunks): far more than the server drains before it gives up.
  for (int i = 0; i < 4000 && !refused; ++i) refused = !conn.Write(chunk);
  EXPECT_TRUE(refused) << "the server kept reading an endless body";
  EXPECT_LT(std::chrono::steady_clock::now() - started, 8s);
}

// A connection being drained does not hold up shutdown: it is closed like an idle one.
TEST(ServerTest, ShutdownDoesNotWaitForADrainingConnection) {
  ServerOptions options;
  options.shutdown_grace = 10s;
  RunningServer server(EchoRouter(), options);
  RawConnection conn(server.port(), 5s);
  ASSERT_TRUE(
      conn.Write("POST /items HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                 "Content-Length: 1000000000\r\n\r\n"));
  auto res = conn.Read();  // written before the drain starts; the client then sends nothing
  ASSERT_TRUE(res);
  EXPECT_EQ(res->result_int(), 413u);
  auto started = std::chrono::steady_clock::now();
  server.Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - started, 1s);
  EXPECT_TRUE(conn.WaitClosed());
}

TEST(ServerTest, LimitsComeBeforeRouting) {
  RunningServer server(EchoRouter());
  RawConnection conn(server.port());
  Request req = MakeRequest(bhttp::verb::post, "/no-such-path", std::string(2 << 20, 'x'));
  conn.Write(Wire(req));
  auto res = conn.Read();
  ASSERT_TRUE(res);
  EXPECT_EQ(res->result_int(), 413u);
}

TEST(ServerTest, MalformedRequestIs400) {
  RunningServer server(EchoRouter());
  RawConnection conn(server.port());
  ASSERT_TRUE(conn.Write("GET /items/1 HTTP/9.x\r\nHost: x\r\n\r\n"));
  auto res = conn.Read();
  ASSERT_TRUE(res);
  EXPECT_EQ(res->result_int(), 400u);
  EXPECT_EQ(JsonOf(*res)["error"], "bad_request");
  EXPECT_TRUE(conn.WaitClosed());
}

TEST(ServerTest, HandlerExceptionIs500WithoutInternals) {
  RunningServer server(EchoRouter());
  RawConnection conn(server.port());
  ASSERT_TRUE(conn.Write(Wire(MakeRequest(bhttp::verb::get, "/throw"))));
  auto res = conn.Read();
  ASSERT_TRUE(res);
  EXPECT_EQ(res->result_int(), 500u);
  EXPECT_EQ(JsonOf(*res)["error"], "internal");
  EXPECT_EQ(res->body().find("secret"), std::string::npos);
  EXPECT_EQ(res->body().find("/etc"), std::string::npos);
  // The connection stays usable.
  ASSERT_TRUE(conn.Write(Wire(MakeRequest(bhttp::verb::get, "/items/1"))));
  res = conn.Read();
  ASSERT_TRUE(res);
  EXPECT_EQ(res->result_int(), 200u);
}

TEST(ServerTest, SlowClientIsDisconnectedAfterReadTimeout) {
  ServerOptions options;
  options.read_timeout = 300ms;
  RunningServer server(EchoRouter(), options);
  RawConnection conn(server.port());
  auto start = std::chrono::steady_clock::now();
  ASSERT_TRUE(conn.Write("GET /items/1 HTTP/1.1\r\nHo"));
  EXPECT_TRUE(conn.WaitClosed());
  auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_GE(elapsed, 250ms);
  EXPECT_LT(elapsed, 5s);
}

TEST(ServerTest, IdleKeepAliveConnectionIsClosedAfterIdleTimeout) {
  ServerOptions options;
  options.idle_timeout = 200ms;
  RunningServer server(EchoRouter(), options);
  RawConnection conn(server.port());
  ASSERT_TRUE(conn.Write(Wire(MakeRequest(bhttp::verb::get, "/items/1"))));
  ASSERT_TRUE(conn.Read());
  EXPECT_TRUE(conn.WaitClosed());
}

TEST(ServerTest, MiddlewareRunsInOrderAroundEveryAnswer) {
  std::vector<Middleware> middleware;
  for (std::string tag : {"a", "b"}) {
    middleware.push_back([tag](const Request& req, RequestContext& ctx,
                               const Next& next) -> asio::awaitable<Response> {
      Response res = co_await next(req, ctx);
      res.set("X-Order", std::string(res["X-Order"]) + tag);
      co_return res;
    });
  }
  RunningServer server(EchoRouter(), ServerOptions(), std::move(middleware));
  RawConnection conn(server.port());
  ASSERT_TRUE(conn.Write(Wire(MakeRequest(bhttp::verb::get, "/nothing"))));
  auto res = conn.Read();
  ASSERT_TRUE(res);
  EXPECT_EQ(res->result_int(), 404u);
  EXPECT_EQ((*res)["X-Order"], "ba");  // b is inside a, so it sees the response first
}

TEST(ServerTest, PortInUseGivesAClearError) {
  RunningServer first(EchoRouter());
  ServerOptions options;
  options.address = {"127.0.0.1", first.port()};
  Server second(options, EchoRouter());
  Status st = second.Start();
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().message,
            "address already in use: 127.0.0.1:" + std::to_string(first.port()));
}

TEST(ServerTest, GracefulShutdownFinishesInFlightRequest) {
  std::promise<void> started;
  Router router;
  router.Add(bhttp::verb::get, "/slow",
             [&started](const Request&, RequestContext&) -> asio::awaitable<Response> {
               started.set_value();
               asio::steady_timer timer(co_await asio::this_coro::executor, 300ms);
               co_await timer.async_wait(asio::use_awaitable);
               co_return JsonResponse(200, {{"done", true}});
             });
  ServerOptions options;
  options.shutdown_grace = 5s;
  Server server(options, std::move(router));
  ASSERT_TRUE(server.Start().ok());
  std::thread runner([&] { server.Run(); });
  RawConnection busy(server.port());
  RawConnection idle(server.port());
  ASSERT_TRUE(busy.Write(Wire(MakeRequest(bhttp::verb::get, "/slow"))));
  started.get_future().wait();
  auto stop_at = std::chrono::steady_clock::now();
  server.Stop();
  auto res = busy.Read();
  ASSERT_TRUE(res) << "the in-flight request was cut off";
  EXPECT_EQ(res->result_int(), 200u);
  EXPECT_FALSE(res->keep_alive());
  EXPECT_TRUE(idle.WaitClosed());
  runner.join();
  EXPECT_LT(std::chrono::steady_clock::now() - stop_at, 4s);
}

TEST(ServerTest, ShutdownGraceBoundsAStuckHandler) {
  std::promise<void> started;
  Router router;
  router.Add(bhttp::verb::get, "/stuck",
             [&started](const Request&, RequestContext&) -> asio::awaitable<Response> {
               started.set_value();
               asio::steady_timer timer(co_await asio::this_coro::executor, 60s);
               co_await timer.async_wait(asio::use_awaitable);
               co_return JsonResponse(200, {});
             });
  ServerOptions options;
  options.shutdown_grace = 200ms;
  Server server(options, std::move(router));
  ASSERT_TRUE(server.Start().ok());
  std::thread runner([&] { server.Run(); });
  RawConnection conn(server.port());
  ASSERT_TRUE(conn.Write(Wire(MakeRequest(bhttp::verb::get, "/stuck"))));
  started.get_future().wait();
  auto stop_at = std::chrono::steady_clock::now();
  server.Stop();
  runner.join();
  EXPECT_LT(std::chrono::steady_clock::now() - stop_at, 3s);
}

}  // namespace
}  // namespace blogtrace::http
