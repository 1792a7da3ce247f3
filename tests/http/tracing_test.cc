#include "http/tracing_middleware.h"

#include <regex>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "http/client.h"
#include "http/response.h"
#include "recording_tracer.h"
#include "telemetry/api/propagator.h"
#include "test_support.h"

namespace blogtrace::http {
namespace {

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
using telemetry::SpanKind;
using testing::MakeRequest;
using testing::RawConnection;
using testing::RecordingTracer;
using testing::RunningServer;
using testing::Wire;

const std::regex kTraceResponse("00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})");

struct Ids {
  std::string trace_id, span_id, flags;
};

Ids ParseTraceResponse(const Response& res) {
  std::string value((res)["traceresponse"]);
  std::smatch m;
  if (!std::regex_match(value, m, kTraceResponse)) {
    ADD_FAILURE() << "bad traceresponse: '" << value << "'";
    return {};
  }
  return {m[1], m[2], m[3]};
}

Router TracedRouter() {
  Router r;
  r.Add(bhttp::verb::get, "/users/{id}",
        [](const Request&, RequestContext& ctx) -> asio::awaitable<Response> {
          ctx.span->SetAttribute("enduser.id", ctx.Param("id"));
          co_return JsonResponse(200, {{"id", ctx.Param("id")}});
        });
  r.Add(bhttp::verb::post, "/users",
        [](const Request&, RequestContext&) -> asio::awaitable<Response> {
          co_return JsonResponse(201, {});
        });
  r.Add(bhttp::verb::get, "/boom",
        [](const Request&, RequestContext&) -> asio::awaitable<Response> {
          throw std::logic_error("kaput");
          co_return Response{};
        });
  return r;
}

class TracingTest : public ::testing::Test {
 protected:
  RecordingTracer tracer_;
  std::unique_ptr<telemetry::TextMapPropagator> propagator_ =
      telemetry::MakePropagator("tracecontext,baggage");
  ServerTracing tracing() { return {&tracer_, propagator_.get()}; }
};

TEST_F(TracingTest, ServerSpanIsNamedAfterTheRouteTemplate) {
  RunningServer server(TracedRouter(), ServerOptions(), {}, tracing());
  RawConnection conn(server.port());
  Request req = MakeRequest(bhttp::verb::get, "/users/42");
  req.set(bhttp::field::user_agent, "test-agent/1");
  ASSERT_TRUE(conn.Write(Wire(req)));
  auto res = conn.Read();
  ASSERT_TRUE(res);
  ASSERT_TRUE(tracer_.WaitForSpans(1, std::chrono::seconds(5)));
  auto span = tracer_.Only(SpanKind::kServer);
  EXPECT_EQ(span.name, "GET /users/{id}");
  EXPECT_EQ(span.attributes["http.route"], "/users/{id}");
  EXPECT_EQ(span.attributes["http.request.method"], "GET");
  EXPECT_EQ(span.attributes["url.path"], "/users/42");
  EXPECT_EQ(span.attributes["url.scheme"], "http");
  EXPECT_EQ(span.attributes["http.response.status_code"], "200");
  EXPECT_EQ(span.attributes["user_agent.original"], "test-agent/1");
  EXPECT_EQ(span.attributes["client.address"], "127.0.0.1");
  EXPECT_EQ(span.attributes["enduser.id"], "42");
  EXPECT_EQ(span.status, telemetry::StatusCode::kUnset);
  Ids ids = ParseTraceResponse(*res);
  EXPECT_EQ(ids.trace_id, span.context.trace_id().ToHex());
  EXPECT_EQ(ids.span_id, span.context.span_id().ToHex());
  EXPECT_EQ(ids.flags, "03");
}

// server.address / server.port come from the Host header (port as std::stoi reads it), else
// from the socket's local address and port.
TEST_F(TracingTest, ServerAddressAndPortComeFromTheHostHeader) {
  RunningServer server(TracedRouter(), ServerOptions(), {}, tracing());
  const std::string local = std::to_string(server.port());
  struct Case {
    std::string host, address, port;
  };
  const std::vector<Case> cases = {
      {"api.example:8080", "api.example", "8080"},
      {"api.example", "api.example", local},
      {"[::1]:9", "[::1]", "9"},
      {"[::1]", "[::1]", local},
      {"h:+81", "h", "81"},
      {"h: 82", "h", "82"},
      {"h:83x", "h", "83"},
      {"h:abc", "h", local},
      {"h:", "h", local},
      {"h:+-5", "h", local},
      {"h:99999999999", "h", local},
  };
  for (std::size_t i = 0; i < cases.size(); ++i) {
    SCOPED_TRACE(cases[i].host);
    RawConnection conn(server.port());
    Request req = MakeRequest(bhttp::verb::get, "/users/7");
    req.set(bhttp::field::host, cases[i].host);
    ASSERT_TRUE(conn.Write(Wire(req)));
    ASSERT_TRUE(conn.Read());
    ASSERT_TRUE(tracer_.WaitForSpans(i + 1, std::chrono::seconds(5)));
    auto span = tracer_.spans().at(i);
    EXPECT_EQ(span.attributes["server.address"], cases[i].address);
    EXPECT_EQ(span.attributes["server.port"], cases[i].port);
  }
}

// Span names longer than the middleware's inline buffer are kept whole.
TEST_F(TracingTest, LongRouteTemplateNamesTheSpanWhole) {
  const std::string route = "/" + std::string(150, 'r') + "/{id}";
  Router r;
  r.Add(bhttp::verb::delete_, route,
        [](const Request&, RequestContext&) -> asio::awaitable<Response> {
          co_return JsonResponse(200, {});
        });
  RunningServer server(std::move(r), ServerOptions(), {}, tracing());
  RawConnection conn(server.port());
  ASSERT_TRUE(
      conn.Write(Wire(MakeRequest(bhttp::verb::delete_, "/" + std::string(150, 'r') + "/5"))));
  auto res = conn.Read();
  ASSERT_TRUE(res);
  EXPECT_EQ(res->result_int(), 200u);
  ASSERT_TRUE(tracer_.WaitForSpans(1, std::chrono::seconds(5)));
  EXPECT_EQ(tracer_.Only(SpanKind::kServer).name, "DELETE " + route);
}

TEST_F(TracingTest, NotFoundSpanIsNamedByMethodAndCarriesTraceResponse) {
  RunningServer server(TracedRouter(), ServerOptions(), {}, tracing());
  RawConnection conn(server.port());
  ASSERT_TRUE(conn.Write(Wire(MakeRequest(bhttp::verb::get, "/nope"))));
  auto res = conn.Read();
  ASSERT_TRUE(res);
  EXPECT_EQ(res->result_int(), 404u);
  ASSERT_TRUE(tracer_.WaitForSpans(1, std::chrono::seconds(5)));
  auto span = tracer_.Only(SpanKind::kServer);
  EXPECT_EQ(span.name, "GET");
  EXPECT_EQ(span.attributes.count("http.route"), 0u);
  EXPECT_EQ(span.status, telemetry::StatusCode::kUnset);  // 4xx is not a server error
  EXPECT_EQ(ParseTraceResponse(*res).span_id, span.context.span_id().ToHex());
}

TEST_F(TracingTest, LimitAnswersCarryTraceResponse) {
  RunningServer server(TracedRouter(), ServerOptions(), {}, tracing());
  {
    RawConnection conn(server.port());
    conn.Write(Wire(
        MakeRequest(bhttp::verb::post, "/users", std::string(2 << 20, 'x'), "application/json")));
    auto res = conn.Read();
    ASSERT_TRUE(res);
    EXPECT_EQ(res->result_int(), 413u);
    ParseTraceResponse(*res);
  }
  {
    RawConnection conn(server.port());
    Request req = MakeRequest(bhttp::verb::get, "/users/1");
    req.set("X-Big", std::string(20 * 1024, 'a'));
    conn.Write(Wire(req));
    auto res = conn.Read();
    ASSERT_TRUE(res);
    EXPECT_EQ(res->result_int(), 431u);
    Ids ids = ParseTraceResponse(*res);
    ASSERT_TRUE(tracer_.WaitForSpans(2, std::chrono::seconds(5)));
    auto spans = tracer_.spans();
    EXPECT_EQ(spans.back().name, "GET");  // named from the request line
    EXPECT_EQ(spans.back().attributes["url.path"], "/users/1");
    EXPECT_EQ(spans.back().attributes["http.response.status_code"], "431");
    EXPECT_EQ(ids.span_id, spans.back().context.span_id().ToHex());
  }
  {
    RawConnection conn(server.port());
    conn.Write(Wire(MakeRequest(bhttp::verb::delete_, "/users/1")));
    auto res = conn.Read();
    ASSERT_TRUE(res);
    EXPECT_EQ(res->result_int(), 405u);
    ParseTraceResponse(*res);
  }
}

TEST_F(TracingTest, HandlerExceptionMarksSpanErrorAndRecordsIt) {
  RunningServer server(TracedRouter(), ServerOptions(), {}, tracing());
  RawConnection conn(server.port());
  ASSERT_TRUE(conn.Write(Wire(MakeRequest(bhttp::verb::get, "/boom"))));
  auto res = conn.Read();
  ASSERT_TRUE(res);
  EXPECT_EQ(res->result_int(), 500u);
  ParseTraceResponse(*res);
  ASSERT_TRUE(tracer_.WaitForSpans(1, std::chrono::seconds(5)));
  auto span = tracer_.Only(SpanKind::kServer);
  EXPECT_EQ(span.status, telemetry::StatusCode::kError);
  EXPECT_EQ(span.attributes["error.type"], "500");
  ASSERT_TRUE(span.HasEvent("exception"));
  for (const auto& [name, attrs] : span.events) {
    if (name == "exception") {
      EXPECT_EQ(attrs.at("exception.type"), "std::logic_error");
      EXPECT_EQ(attrs.at("exception.message"), "kaput");
    }
  }
}

TEST_F(TracingTest, IncomingTraceparentIsJoined) {
  RunningServer server(TracedRouter(), ServerOptions(), {}, tracing());
  RawConnection conn(server.port());
  Request req = MakeRequest(bhttp::verb::get, "/users/7");
  req.set("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
  ASSERT_TRUE(conn.Write(Wire(req)));
  auto res = conn.Read();
  ASSERT_TRUE(res);
  ASSERT_TRUE(tracer_.WaitForSpans(1, std::chrono::seconds(5)));
  auto span = tracer_.Only(SpanKind::kServer);
  EXPECT_EQ(span.context.trace_id().ToHex(), "0af7651916cd43dd8448eb211c80319c");
  EXPECT_EQ(span.parent.span_id().ToHex(), "b7ad6b7169203331");
  Ids ids = ParseTraceResponse(*res);
  EXPECT_EQ(ids.trace_id, "0af7651916cd43dd8448eb211c80319c");
  EXPECT_NE(ids.span_id, "b7ad6b7169203331");
  EXPECT_EQ(ids.span_id, span.context.span_id().ToHex());
}

TEST_F(TracingTest, InvalidTraceparentStartsANewTrace) {
  RunningServer server(TracedRouter(), ServerOptions(), {}, tracing());
  for (std::string bad : {"00-0AF7651916CD43DD8448EB211C80319C-B7AD6B7169203331-01",
                          "00-00000000000000000000000000000000-b7ad6b7169203331-01",
                          "ff-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
                          "00-0af7651916cd43dd8448eb211c80319c-b7ad6b716920333-01"}) {
    SCOPED_TRACE(bad);
    RawConnection conn(server.port());
    Request req = MakeRequest(bhttp::verb::get, "/users/7");
    req.set("traceparent", bad);
    ASSERT_TRUE(conn.Write(Wire(req)));
    auto res = conn.Read();
    ASSERT_TRUE(res);
    Ids ids = ParseTraceResponse(*res);
    EXPECT_NE(ids.trace_id, "0af7651916cd43dd8448eb211c80319c");
    EXPECT_NE(ids.trace_id, "00000000000000000000000000000000");
  }
  ASSERT_TRUE(tracer_.WaitForSpans(4, std::chrono::seconds(5)));
  for (const auto& span : tracer_.spans()) EXPECT_FALSE(span.parent.IsValid());
}

TEST_F(TracingTest, TracingOffStillAnswersTraceResponseWithFlags00) {
  telemetry::NoopTracer noop;
  RunningServer server(TracedRouter(), ServerOptions(), {}, {&noop, propagator_.get()});
  RawConnection conn(server.port());
  Request req = MakeRequest(bhttp::verb::get, "/nope");
  req.set("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
  ASSERT_TRUE(conn.Write(Wire(req)));
  auto res = conn.Read();
  ASSERT_TRUE(res);
  Ids ids = ParseTraceResponse(*res);
  EXPECT_EQ(ids.trace_id, "0af7651916cd43dd8448eb211c80319c");
  EXPECT_NE(ids.span_id, "b7ad6b7169203331");
  EXPECT_NE(ids.span_id, "0000000000000000");
  EXPECT_EQ(ids.flags, "00");
}

TEST_F(TracingTest, ClientSpanInjectsItsOwnSpanId) {
  // Upstream: echoes the traceparent and baggage it received.
  Router upstream_router;
  upstream_router.Add(bhttp::verb::get, "/users/{id}",
                      [](const Request& req, RequestContext&) -> asio::awaitable<Response> {
                        co_return JsonResponse(200,
                                               {{"traceparent", std::string(req["traceparent"])},
                                                {"baggage", std::string(req["baggage"])}});
                      });
  RunningServer upstream(std::move(upstream_router));

  ClientOptions options;
  options.upstream = {"127.0.0.1", upstream.port()};
  asio::io_context ioc;
  Client client(options, {&tracer_, propagator_.get()});
  auto parent_sc =
      telemetry::ParseTraceparent("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-03");
  ASSERT_TRUE(parent_sc);
  auto res =
      testing::RunAwaitable<Result<Response>>(ioc, [&]() -> asio::awaitable<Result<Response>> {
        RequestContext ctx;
        ctx.trace.span_context = *parent_sc;
        ctx.trace.baggage = telemetry::ParseBaggage("tenant=blue");
        co_return co_await client.Send(ctx, "/users/{id}",
                                       MakeRequest(bhttp::verb::get, "/users/9"));
      });
  ASSERT_TRUE(res.ok()) << res.error().message;
  ASSERT_TRUE(tracer_.WaitForSpans(1, std::chrono::seconds(5)));
  auto span = tracer_.Only(SpanKind::kClient);
  EXPECT_EQ(span.name, "GET /users/{id}");
  EXPECT_EQ(span.parent.span_id().ToHex(), "b7ad6b7169203331");
  EXPECT_EQ(span.attributes["http.request.method"], "GET");
  EXPECT_EQ(span.attributes["server.address"], "127.0.0.1");
  EXPECT_EQ(span.attributes["server.port"], std::to_string(upstream.port()));
  EXPECT_EQ(span.attributes["url.full"],
            "http://127.0.0.1:" + std::to_string(upstream.port()) + "/users/9");
  EXPECT_EQ(span.attributes["http.response.status_code"], "200");
  auto body = nlohmann::json::parse(res->body());
  EXPECT_EQ(body["traceparent"],
            "00-0af7651916cd43dd8448eb211c80319c-" + span.context.span_id().ToHex() + "-03");
  EXPECT_EQ(body["baggage"], "tenant=blue");
}

TEST_F(TracingTest, ClientTransportFailureIsAnErrorSpan) {
  std::uint16_t port;
  {
    asio::io_context ioc;
    asio::ip::tcp::acceptor probe(ioc, {asio::ip::make_address("127.0.0.1"), 0});
    port = probe.local_endpoint().port();
  }
  ClientOptions options;
  options.upstream = {"127.0.0.1", port};
  asio::io_context ioc;
  Client client(options, {&tracer_, propagator_.get()});
  auto res =
      testing::RunAwaitable<Result<Response>>(ioc, [&]() -> asio::awaitable<Result<Response>> {
        RequestContext ctx;
        co_return co_await client.Send(ctx, "/authorize",
                                       MakeRequest(bhttp::verb::post, "/authorize"));
      });
  ASSERT_FALSE(res.ok());
  ASSERT_TRUE(tracer_.WaitForSpans(1, std::chrono::seconds(5)));
  auto span = tracer_.Only(SpanKind::kClient);
  EXPECT_EQ(span.name, "POST /authorize");
  EXPECT_EQ(span.status, telemetry::StatusCode::kError);
  EXPECT_EQ(span.attributes["error.type"], "connection_refused");
  EXPECT_TRUE(span.HasEvent("exception"));
}

TEST_F(TracingTest, TraceThroughTwoServices) {
  // front → back: one trace, back's server span is a child of front's client span.
  Router back_router;
  back_router.Add(bhttp::verb::get, "/users/{id}",
                  [](const Request&, RequestContext&) -> asio::awaitable<Response> {
                    co_return JsonResponse(200, {});
                  });
  RunningServer back(std::move(back_router), ServerOptions(), {}, tracing());
  ClientOptions options;
  options.upstream = {"127.0.0.1", back.port()};
  Client client(options, {&tracer_, propagator_.get()});
  Router front_router;
  front_router.Add(bhttp::verb::get, "/blogs/{id}",
                   [&client](const Request&, RequestContext& ctx) -> asio::awaitable<Response> {
                     auto res = co_await client.Send(ctx, "/users/{id}",
                                                     MakeRequest(bhttp::verb::get, "/users/1"));
                     if (!res.ok()) co_return ErrorResponse(res.error());
                     co_return JsonResponse(200, {{"upstream", res->result_int()}});
                   });
  RunningServer front(std::move(front_router), ServerOptions(), {}, tracing());
  RawConnection conn(front.port());
  ASSERT_TRUE(conn.Write(Wire(MakeRequest(bhttp::verb::get, "/blogs/3"))));
  auto res = conn.Read();
  ASSERT_TRUE(res);
  EXPECT_EQ(res->result_int(), 200u);
  ASSERT_TRUE(tracer_.WaitForSpans(3, std::chrono::seconds(5)));
  testing::RecordedSpan front_span, client_span, back_span;
  for (auto& s : tracer_.spans()) {
    if (s.kind == SpanKind::kClient) client_span = s;
    if (s.kind == SpanKind::kServer && s.name == "GET /blogs/{id}") front_span = s;
    if (s.kind == SpanKind::kServer && s.name == "GET /users/{id}") back_span = s;
  }
  EXPECT_EQ(client_span.name, "GET /users/{id}");
  EXPECT_EQ(client_span.parent.span_id(), front_span.context.span_id());
  EXPECT_EQ(back_span.parent.span_id(), client_span.context.span_id());
  EXPECT_EQ(back_span.context.trace_id(), front_span.context.trace_id());
  EXPECT_TRUE(front_span.context.IsValid());
}

}  // namespace
}  // namespace blogtrace::http
