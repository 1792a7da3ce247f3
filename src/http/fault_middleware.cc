#include "http/fault_middleware.h"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <nlohmann/json.hpp>

#include "faults/fault_span.h"
#include "http/response.h"

namespace blogtrace::http {
namespace {

namespace asio = boost::asio;

asio::awaitable<Response> Apply(const faults::FaultInjector& injector, const Request& req,
                                RequestContext& ctx, const Next& next) {
  if (ctx.route.empty() || ctx.route.starts_with("/admin/")) co_return co_await next(req, ctx);
  faults::FaultDecision decision = injector.Decide(
      {.kind = faults::FaultSiteKind::kRoute, .method = req.method_string(), .route = ctx.route});
  if (!decision.fired()) co_return co_await next(req, ctx);
  if (ctx.span != nullptr) faults::RecordFault(*ctx.span, decision);
  if (decision.delay.count() > 0) {
    asio::steady_timer timer(co_await asio::this_coro::executor, decision.delay);
    co_await timer.async_wait(asio::use_awaitable);
  }
  if (decision.error_status != 0) {
    std::string message = faults::FaultMessage(decision);
    if (ctx.span != nullptr) ctx.span->SetAttribute("error.message", std::string_view(message));
    co_return FaultErrorResponse(decision.error_status, message);
  }
  co_return co_await next(req, ctx);
}

}  // namespace

Middleware MakeFaultMiddleware(const faults::FaultInjector& injector) {
  return [&injector](const Request& req, RequestContext& ctx, const Next& next) {
    return Apply(injector, req, ctx, next);
  };
}

Response FaultErrorResponse(int status, const std::string& message) {
  std::string_view code = status == 503 || status == 504 ? "unavailable" : "internal";
  return JsonResponse(static_cast<unsigned>(status), {{"error", code}, {"message", message}});
}

}  // namespace blogtrace::http
