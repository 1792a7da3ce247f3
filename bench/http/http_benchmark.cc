// Micro-benchmarks of the HTTP layer: routing, JSON body parsing, the tracing middleware's cost
// per request (tracing off, root and child spans), and a full keep-alive round trip (pooled
// Client → Server over loopback, trivial handler; untraced and traced). Run on a Release build.
#include <thread>

#include <benchmark/benchmark.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <nlohmann/json.hpp>

#include "http/client.h"
#include "http/response.h"
#include "http/router.h"
#include "http/server.h"
#include "http/tracing_middleware.h"
#include "telemetry/api/propagator.h"
#include "telemetry/sdk/tracer_provider.h"

namespace {

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
using blogtrace::http::Client;
using blogtrace::http::JsonResponse;
using blogtrace::http::Middleware;
using blogtrace::http::Next;
using blogtrace::http::Request;
using blogtrace::http::RequestContext;
using blogtrace::http::Response;
using blogtrace::http::Router;

asio::awaitable<Response> Ok(const Request&, RequestContext&) {
  co_return JsonResponse(200, {{"status", "ok"}});
}

Router BenchRouter() {
  Router r;
  r.Add(bhttp::verb::get, "/healthz", Ok);
  r.Add(bhttp::verb::post, "/users", Ok);
  r.Add(bhttp::verb::get, "/users/{id}", Ok);
  r.Add(bhttp::verb::post, "/users/verify", Ok);
  r.Add(bhttp::verb::get, "/blogs", Ok);
  r.Add(bhttp::verb::post, "/blogs", Ok);
  r.Add(bhttp::verb::get, "/blogs/{id}", Ok);
  return r;
}

void BM_RouterFind(benchmark::State& state) {
  Router router = BenchRouter();
  for (auto _ : state) {
    auto m = router.Find(bhttp::verb::get, "/blogs/0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b");
    benchmark::DoNotOptimize(m);
  }
}
BENCHMARK(BM_RouterFind);

void BM_ParseJsonBody(benchmark::State& state) {
  Request req{bhttp::verb::post, "/blogs", 11};
  req.set(bhttp::field::content_type, "application/json; charset=utf-8");
  req.body() = nlohmann::json{{"title", "A title"}, {"content", std::string(2000, 'x')}}.dump();
  for (auto _ : state) {
    auto body = blogtrace::http::ParseJsonBody(req);
    benchmark::DoNotOptimize(body);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * req.body().size()));
}
BENCHMARK(BM_ParseJsonBody);

// The body of GET /blogs?limit=20 (about 4 KB) serialised into a response.
void BM_JsonResponseBlogList(benchmark::State& state) {
  nlohmann::json blogs = nlohmann::json::array();
  for (int i = 0; i < 20; ++i) {
    blogs.push_back({{"id", "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a" + std::to_string(10 + i)},
                     {"title", "post " + std::to_string(i)},
                     {"content", "some content for post " + std::to_string(i)},
                     {"author_id", "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"},
                     {"author", "benchwriter"},
                     {"created_at", "2026-11-26T02:36:12.123Z"}});
  }
  const nlohmann::json body = {{"blogs", blogs}, {"total", 30}};
  for (auto _ : state) {
    Response res = JsonResponse(200, body);
    benchmark::DoNotOptimize(res);
  }
}
BENCHMARK(BM_JsonResponseBlogList);

// What the tracing middleware sees for `GET /blogs?limit=20` from wrk (root) or from a traced
// caller (child): a bearer token, a user agent, optionally traceparent.
Request BlogsRequest(bool with_traceparent) {
  Request req{bhttp::verb::get, "/blogs?limit=20", 11};
  req.set(bhttp::field::host, "127.0.0.1:3004");
  req.set(bhttp::field::user_agent, "wrk");
  req.set(bhttp::field::authorization, "Bearer " + std::string(300, 'a'));
  if (with_traceparent)
    req.set("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-03");
  return req;
}

RequestContext BlogsContext() {
  RequestContext ctx;
  ctx.route = "/blogs";
  ctx.path = "/blogs";
  ctx.query_params = {{"limit", "20"}};
  ctx.peer_address = "127.0.0.1";
  ctx.peer_port = 51234;
  ctx.local_address = "127.0.0.1";
  ctx.local_port = 3004;
  return ctx;
}

// One request per iteration through `middleware` around a handler that answers at once, on an
// io_context run by this thread. The io_context and coroutine overhead is in every variant;
// BM_Middleware_Passthrough measures it alone, so the difference is the middleware's own cost.
void RunMiddleware(benchmark::State& state, const Middleware& middleware, bool with_traceparent) {
  Request req = BlogsRequest(with_traceparent);
  const Response answer = JsonResponse(200, {{"blogs", nlohmann::json::array()}, {"total", 0}});
  Next handler = [&answer](const Request&, RequestContext& ctx) -> asio::awaitable<Response> {
    ctx.span->SetAttribute("enduser.id", "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b");
    co_return answer;
  };
  asio::io_context ioc;
  for (auto _ : state) {
    RequestContext ctx = BlogsContext();
    blogtrace::telemetry::Span no_span;
    ctx.span = &no_span;
    int status = 0;
    asio::co_spawn(
        ioc,
        [&]() -> asio::awaitable<void> {
          Response res = co_await middleware(req, ctx, handler);
          status = res.result_int();
        },
        asio::detached);
    ioc.restart();
    ioc.run();
    if (status != 200) state.SkipWithError("middleware did not answer 200");
  }
}

void BM_Middleware_Passthrough(benchmark::State& state) {
  Middleware passthrough = [](const Request& req, RequestContext& ctx, const Next& next) {
    return next(req, ctx);
  };
  RunMiddleware(state, passthrough, false);
}
BENCHMARK(BM_Middleware_Passthrough);

// OTEL_SDK_DISABLED=true: the no-op tracer; traceresponse still written.
void BM_Middleware_Disabled(benchmark::State& state) {
  blogtrace::telemetry::NoopTracer tracer;
  blogtrace::telemetry::W3CTraceContextPropagator propagator;
  RunMiddleware(state, blogtrace::http::MakeTracingMiddleware(tracer, &propagator),
                state.range(0) != 0);
}
BENCHMARK(BM_Middleware_Disabled)->ArgName("traceparent")->Arg(0)->Arg(1);

// Tracing at 100% with nothing exported (OTEL_TRACES_EXPORTER=none): a recorded SERVER span.
void BM_Middleware_Traced(benchmark::State& state) {
  blogtrace::telemetry::sdk::TracerProvider provider({});
  blogtrace::telemetry::W3CTraceContextPropagator propagator;
  RunMiddleware(state,
                blogtrace::http::MakeTracingMiddleware(provider.GetTracer("bench"), &propagator),
                state.range(0) != 0);
}
BENCHMARK(BM_Middleware_Traced)->ArgName("traceparent")->Arg(0)->Arg(1);

// One request per iteration over a kept-alive pooled connection; with range(0) = 1 both sides
// trace (SDK at 100%, nothing exported): CLIENT span + traceparent, SERVER span + traceresponse.
void BM_RoundTrip(benchmark::State& state) {
  blogtrace::http::ServerOptions options;
  options.address = {"127.0.0.1", 0};
  options.threads = 1;
  const bool traced = state.range(0) != 0;
  blogtrace::telemetry::sdk::TracerProvider provider({});
  blogtrace::telemetry::W3CTraceContextPropagator propagator;
  blogtrace::telemetry::Tracer* tracer = traced ? &provider.GetTracer("bench") : nullptr;
  blogtrace::http::Server server(options, BenchRouter(), {}, {tracer, &propagator});
  if (!server.Start().ok()) {
    state.SkipWithError("cannot start the server");
    return;
  }
  std::thread runner([&] { server.Run(); });
  blogtrace::http::ClientOptions client_options;
  client_options.upstream = {"127.0.0.1", server.port()};
  Client client(client_options, {tracer, &propagator});
  asio::io_context ioc;
  for (auto _ : state) {
    bool ok = false;
    asio::co_spawn(
        ioc,
        [&]() -> asio::awaitable<void> {
          RequestContext ctx;
          Request req{bhttp::verb::get, "/healthz", 11};
          auto res = co_await client.Send(ctx, "/healthz", std::move(req));
          ok = res.ok() && res->result_int() == 200;
        },
        asio::detached);
    ioc.restart();
    ioc.run();
    if (!ok) state.SkipWithError("request failed");
  }
  server.Stop();
  runner.join();
}
BENCHMARK(BM_RoundTrip)->ArgName("traced")->Arg(0)->Arg(1)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
