#include "http/client_faults.h"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "faults/fault_span.h"
#include "http/fault_middleware.h"
#include "telemetry/api/semconv.h"

namespace blogtrace::http {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

asio::awaitable<std::optional<Result<Response>>> ApplyUpstreamFaults(
    const faults::FaultInjector& injector, std::string_view upstream,
    std::string_view upstream_name, telemetry::Span& span, Clock::time_point deadline) {
  faults::FaultDecision decision =
      injector.Decide({.kind = faults::FaultSiteKind::kUpstream, .target = upstream});
  if (!decision.fired()) co_return std::nullopt;
  faults::RecordFault(span, decision);
  std::string name(upstream_name);
  if (decision.delay.count() > 0) {
    Clock::time_point until = Clock::now() + decision.delay;
    asio::steady_timer timer(co_await asio::this_coro::executor, std::min(until, deadline));
    co_await timer.async_wait(asio::use_awaitable);
    if (until > deadline) {
      co_return FailUpstreamSpan(span, "timeout", name + " did not answer in time",
                                 name + " did not answer in time");
    }
  }
  if (decision.unreachable) {
    co_return FailUpstreamSpan(span, "connection_refused",
                               "Connection refused (" + faults::FaultMessage(decision) + ")",
                               name + " is unavailable");
  }
  if (decision.error_status != 0) {
    telemetry::semconv::SetHttpResponse(span, decision.error_status, /*is_server=*/false);
    co_return FaultErrorResponse(decision.error_status, faults::FaultMessage(decision));
  }
  co_return std::nullopt;
}

Error FailUpstreamSpan(telemetry::Span& span, std::string_view type, std::string_view detail,
                       std::string message) {
  span.SetAttribute(telemetry::semconv::kErrorType, type);
  span.RecordException(type, detail);
  span.SetStatus(telemetry::StatusCode::kError, message);
  return Error::Unavailable(std::move(message));
}

}  // namespace blogtrace::http
