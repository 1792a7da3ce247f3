// Micro-benchmarks of the HTTP layer: routing, JSON body parsing, and a full keep-alive round
// trip (pooled Client → Server over loopback, trivial handler). Run on a Release build.
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

namespace {

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
using blogtrace::http::Client;
using blogtrace::http::JsonResponse;
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

// One request per iteration over a kept-alive pooled connection.
void BM_RoundTrip(benchmark::State& state) {
  blogtrace::http::ServerOptions options;
  options.address = {"127.0.0.1", 0};
  options.threads = 1;
  blogtrace::http::Server server(options, BenchRouter());
  if (!server.Start().ok()) {
    state.SkipWithError("cannot start the server");
    return;
  }
  std::thread runner([&] { server.Run(); });
  blogtrace::http::ClientOptions client_options;
  client_options.upstream = {"127.0.0.1", server.port()};
  Client client(client_options);
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
BENCHMARK(BM_RoundTrip)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
