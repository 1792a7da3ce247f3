#include "collector/collector_server.h"

#include <filesystem>
#include <thread>

#include <nlohmann/json.hpp>

#include "collector/receiver.h"
#include "collector/viewer_assets.h"
#include "http/response.h"
#include "http/server.h"
#include "telemetry/api/propagator.h"
#include "telemetry/api/tracer.h"

namespace blogtrace::collector {
namespace {

namespace bhttp = boost::beast::http;
using boost::asio::awaitable;

// The query part of a request target, without '?'.
std::string_view QueryPart(const http::Request& req) {
  std::string_view target = req.target();
  auto q = target.find('?');
  return q == std::string_view::npos ? std::string_view() : target.substr(q + 1);
}

http::Response ToHttp(ApiResponse api, const http::Request& req) {
  http::Response res{static_cast<bhttp::status>(api.status), req.version()};
  res.set(bhttp::field::content_type, "application/json");
  res.set(bhttp::field::cache_control, "no-store");
  if (req.method() != bhttp::verb::head) res.body() = std::move(api.body);
  res.prepare_payload();
  return res;
}

// A handler from a synchronous function of the request's query string (the store calls are
// short; they run on the connection's thread).
http::Handler Query(std::function<ApiResponse(const QueryString&)> fn) {
  return [fn = std::move(fn)](const http::Request& req,
                              http::RequestContext&) -> awaitable<http::Response> {
    co_return ToHttp(fn(QueryString::Parse(QueryPart(req))), req);
  };
}

// Same, for handlers of one path parameter.
http::Handler QueryParam(std::string name, std::function<ApiResponse(std::string_view)> fn) {
  return [name = std::move(name), fn = std::move(fn)](
             const http::Request& req, http::RequestContext& ctx) -> awaitable<http::Response> {
    co_return ToHttp(fn(ctx.Param(name)), req);
  };
}

awaitable<http::Response> Healthz(const http::Request&, http::RequestContext&) {
  co_return http::JsonResponse(200, {{"status", "ok"}});
}

}  // namespace

http::Router MakeQueryRouter(QueryApi& api) {
  http::Router router;
  auto get = bhttp::verb::get;
  router.Add(get, "/api/services", Query([&api](const QueryString&) { return api.Services(); }));
  router.Add(
      get, "/api/services/{service}/operations",
      QueryParam("service", [&api](std::string_view s) { return api.ServiceOperations(s); }));
  router.Add(get, "/api/operations",
             Query([&api](const QueryString& q) { return api.Operations(q); }));
  router.Add(get, "/api/traces",
             Query([&api](const QueryString& q) { return api.SearchTraces(q); }));
  router.Add(get, "/api/traces/{traceID}",
             QueryParam("traceID", [&api](std::string_view id) { return api.GetTrace(id); }));
  router.Add(get, "/api/dependencies",
             Query([&api](const QueryString& q) { return api.Dependencies(q); }));
  router.Add(get, "/api/v3/services",
             Query([&api](const QueryString&) { return api.V3Services(); }));
  router.Add(get, "/api/v3/operations",
             Query([&api](const QueryString& q) { return api.V3Operations(q); }));
  router.Add(get, "/api/v3/trace-summaries",
             Query([&api](const QueryString& q) { return api.V3TraceSummaries(q); }));
  router.Add(get, "/api/v3/traces",
             Query([&api](const QueryString& q) { return api.V3FindTraces(q); }));
  router.Add(get, "/api/v3/traces/{traceId}",
             QueryParam("traceId", [&api](std::string_view id) { return api.V3GetTrace(id); }));
  router.Add(get, "/healthz", Healthz);
  router.Add(get, "/static/{file}",
             [](const http::Request& req, http::RequestContext& ctx) -> awaitable<http::Response> {
               if (auto res = ServeAsset(ctx.Param("file"), req)) co_return std::move(*res);
               co_return http::ErrorResponse(Error::NotFound("no such viewer file"));
             });
  return router;
}

http::Middleware MakeViewerFallback(QueryApi& api) {
  return [&api](const http::Request& req, http::RequestContext& ctx,
                const http::Next& next) -> awaitable<http::Response> {
    bool get = req.method() == bhttp::verb::get || req.method() == bhttp::verb::head;
    if (!get || !ctx.route.empty()) co_return co_await next(req, ctx);
    std::string_view path = ctx.path;
    if (path.substr(0, 5) == "/api/" || path == "/api") {
      auto res = api.Dispatch(path, QueryString::Parse(QueryPart(req)));
      if (res) co_return ToHttp(std::move(*res), req);
      co_return co_await next(req, ctx);
    }
    if (path.substr(0, 8) == "/static/") co_return co_await next(req, ctx);
    co_return ServeIndex(req);
  };
}

struct CollectorServer::Impl {
  // The servers run the tracing middleware with a no-op tracer: every response carries
  // `traceresponse` (API.md) but no span is recorded, so the collector never feeds its own
  // requests back into itself.
  telemetry::NoopTracer noop_tracer;
  std::unique_ptr<telemetry::TextMapPropagator> propagator =
      telemetry::MakePropagator("tracecontext");
  std::unique_ptr<SpanStore> store;
  std::unique_ptr<QueryApi> api;
  ReceiverOptions receiver_options;
  std::unique_ptr<http::Server> receiver;
  std::unique_ptr<http::Server> query;
};

CollectorServer::CollectorServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
CollectorServer::~CollectorServer() { Stop(); }

Result<std::unique_ptr<CollectorServer>> CollectorServer::Start(const CollectorOptions& options,
                                                                bool handle_signals) {
  std::error_code ec;
  std::filesystem::create_directories(options.data_dir, ec);
  if (ec)
    return Error::Internal("cannot create DATA_DIR " + options.data_dir + ": " + ec.message());
  auto impl = std::make_unique<Impl>();
  auto store = SpanStore::Open(options.store);
  if (!store) return store.error();
  impl->store = std::move(*store);
  impl->api = std::make_unique<QueryApi>(*impl->store, *options.store.clock);
  impl->receiver_options = options.receiver;

  http::Router receiver_router;
  SpanStore* store_ptr = impl->store.get();
  const ReceiverOptions* receiver_options = &impl->receiver_options;
  receiver_router.Add(
      bhttp::verb::post, "/v1/traces",
      [store_ptr, receiver_options](const http::Request& req,
                                    http::RequestContext&) -> awaitable<http::Response> {
        co_return HandleExport(req, *store_ptr, *receiver_options);
      });
  receiver_router.Add(bhttp::verb::get, "/healthz", Healthz);

  http::ServerOptions receiver_server;
  receiver_server.address = options.collector_addr;
  receiver_server.service_name = "collector";
  receiver_server.body_limit = options.receiver.max_body_bytes;
  receiver_server.threads = 2;
  http::ServerTracing tracing{&impl->noop_tracer, impl->propagator.get()};
  impl->receiver = std::make_unique<http::Server>(receiver_server, std::move(receiver_router),
                                                  std::vector<http::Middleware>{}, tracing);
  if (auto s = impl->receiver->Start(); !s) return s.error();

  http::ServerOptions query_server;
  query_server.address = options.query_addr;
  query_server.service_name = "collector-query";
  query_server.threads = 4;
  query_server.handle_signals = handle_signals;
  impl->query = std::make_unique<http::Server>(
      query_server, MakeQueryRouter(*impl->api),
      std::vector<http::Middleware>{MakeViewerFallback(*impl->api)}, tracing);
  if (auto s = impl->query->Start(); !s) return s.error();
  return std::unique_ptr<CollectorServer>(new CollectorServer(std::move(impl)));
}

void CollectorServer::Run() {
  std::thread receiver([this] { impl_->receiver->Run(); });
  impl_->query->Run();  // returns on Stop() or a signal
  impl_->receiver->Stop();
  receiver.join();
  impl_->store->Flush();
}

void CollectorServer::Stop() noexcept {
  if (impl_->query) impl_->query->Stop();
  if (impl_->receiver) impl_->receiver->Stop();
}

std::uint16_t CollectorServer::receiver_port() const noexcept { return impl_->receiver->port(); }
std::uint16_t CollectorServer::query_port() const noexcept { return impl_->query->port(); }
SpanStore& CollectorServer::store() noexcept { return *impl_->store; }

}  // namespace blogtrace::collector
