#include "http/tracing_middleware.h"

#include <array>
#include <cctype>
#include <charconv>
#include <cstring>
#include <optional>
#include <random>
#include <string>

#include <boost/beast/http/field.hpp>

#include "http/header_carrier.h"
#include "http/response.h"
#include "telemetry/api/propagator.h"
#include "telemetry/api/semconv.h"
#include "telemetry/api/tracer.h"

namespace blogtrace::http {

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;

namespace {

using telemetry::semconv::kClientAddress;
using telemetry::semconv::kHttpRequestMethod;
using telemetry::semconv::kHttpRoute;
using telemetry::semconv::kNetworkPeerAddress;
using telemetry::semconv::kNetworkPeerPort;
using telemetry::semconv::kNetworkProtocolVersion;
using telemetry::semconv::kServerAddress;
using telemetry::semconv::kServerPort;
using telemetry::semconv::kUrlPath;
using telemetry::semconv::kUrlScheme;
using telemetry::semconv::kUserAgentOriginal;
// Not in semconv.h: the method as sent when it is not one of the known ones.
constexpr std::string_view kHttpRequestMethodOriginal = "http.request.method_original";

// The semantic conventions' known methods; others are reported as "_OTHER" (span name "HTTP").
bool IsKnownMethod(bhttp::verb v) {
  switch (v) {
    case bhttp::verb::get:
    case bhttp::verb::head:
    case bhttp::verb::post:
    case bhttp::verb::put:
    case bhttp::verb::delete_:
    case bhttp::verb::connect:
    case bhttp::verb::options:
    case bhttp::verb::trace:
    case bhttp::verb::patch:
      return true;
    default:
      return false;
  }
}

// A random non-zero id: eight bytes per draw (a draw per byte cost ~24 draws a request).
template <std::size_t N>
telemetry::Id<N> RandomId() {
  static_assert(N % 8 == 0);
  thread_local std::mt19937_64 engine{std::random_device{}()};
  std::array<std::uint8_t, N> bytes{};
  do {
    for (std::size_t i = 0; i < N; i += 8) {
      std::uint64_t v = engine();
      std::memcpy(bytes.data() + i, &v, 8);
    }
  } while (telemetry::Id<N>(bytes) == telemetry::Id<N>());
  return telemetry::Id<N>(bytes);
}

// The port of a Host header (`std::stoi` rules: leading blanks and a '+' allowed, digits up to
// the first non-digit), or nullopt; parsed without a temporary string or exceptions.
std::optional<std::int64_t> ParsePort(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  if (!s.empty() && s.front() == '+') {
    s.remove_prefix(1);
    if (!s.empty() && s.front() == '-') return std::nullopt;
  }
  int port = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), port);
  if (ec != std::errc()) return std::nullopt;
  return port;
}

// "<METHOD>" or "<METHOD> <route>" in a buffer inside the coroutine frame, so the common names
// need no allocation; longer ones fall back to a string.
class SpanName {
 public:
  SpanName(std::string_view method, std::string_view route) {
    std::size_t n = method.size() + (route.empty() ? 0 : 1 + route.size());
    char* out = n <= sizeof buf_ ? buf_ : long_.assign(n, ' ').data();
    std::memcpy(out, method.data(), method.size());
    if (!route.empty()) {
      out[method.size()] = ' ';
      std::memcpy(out + method.size() + 1, route.data(), route.size());
    }
    view_ = std::string_view(out, n);
  }
  SpanName(const SpanName&) = delete;
  SpanName& operator=(const SpanName&) = delete;
  std::string_view view() const noexcept { return view_; }

 private:
  char buf_[96];
  std::string long_;
  std::string_view view_;
};

// The server's own span context for `traceresponse` and logs. When the tracer produced none of
// its own (tracing off: the no-op span is invalid or carries the caller's ids), a fresh span id
// in the caller's trace (or a new trace) with flags 00, so the caller never sees its own span id.
telemetry::SpanContext ResponseContext(const telemetry::Span& span,
                                       const telemetry::Context& parent) {
  const telemetry::SpanContext& sc = span.context();
  bool own = sc.IsValid() &&
             !(parent.span_context.IsValid() && sc.span_id() == parent.span_context.span_id());
  if (own) return sc;
  telemetry::TraceId trace_id =
      parent.span_context.IsValid() ? parent.span_context.trace_id() : RandomId<16>();
  return telemetry::SpanContext(trace_id, RandomId<8>(), telemetry::TraceFlags{0}, false,
                                parent.span_context.trace_state());
}

asio::awaitable<Response> Trace(telemetry::Tracer& tracer,
                                const telemetry::TextMapPropagator* propagator, const Request& req,
                                RequestContext& ctx, const Next& next) {
  telemetry::Context parent;
  if (propagator != nullptr) parent = propagator->Extract(HeaderCarrier(req.base()));

  bool known = IsKnownMethod(req.method());
  std::string_view method = known ? req.method_string() : "_OTHER";
  SpanName name(known ? method : "HTTP", ctx.route);

  std::string_view host = req[bhttp::field::host];
  std::string_view server_address = host.empty() ? std::string_view(ctx.local_address) : host;
  std::int64_t server_port = ctx.local_port;
  if (!host.empty() && host.back() != ']') {
    if (std::size_t colon = host.rfind(':'); colon != std::string_view::npos) {
      server_address = host.substr(0, colon);
      if (auto port = ParsePort(host.substr(colon + 1))) server_port = *port;
    }
  }
  // Known at start so samplers can use them.
  const telemetry::KeyValue start_attributes[] = {
      {kHttpRequestMethod, method}, {kUrlPath, std::string_view(ctx.path)},
      {kUrlScheme, "http"},         {kServerAddress, server_address},
      {kServerPort, server_port},
  };
  telemetry::Span span = tracer.StartSpan(
      name.view(),
      {.kind = telemetry::SpanKind::kServer, .parent = &parent, .attributes = start_attributes});
  if (!known) span.SetAttribute(kHttpRequestMethodOriginal, req.method_string());
  if (!ctx.route.empty()) span.SetAttribute(kHttpRoute, ctx.route);
  span.SetAttribute(kClientAddress, ctx.peer_address);
  span.SetAttribute(kNetworkPeerAddress, ctx.peer_address);
  span.SetAttribute(kNetworkPeerPort, static_cast<std::int64_t>(ctx.peer_port));
  span.SetAttribute(kNetworkProtocolVersion, req.version() == 10 ? "1.0" : "1.1");
  if (auto ua = req[bhttp::field::user_agent]; !ua.empty()) {
    span.SetAttribute(kUserAgentOriginal, ua);
  }

  telemetry::SpanContext own = ResponseContext(span, parent);
  ctx.trace = telemetry::Context{own, std::move(parent.baggage)};
  telemetry::Span* outer_span = ctx.span;
  ctx.span = &span;

  std::optional<Response> res;
  std::exception_ptr failure;
  try {
    res = co_await next(req, ctx);
  } catch (...) {
    failure = std::current_exception();
  }
  ctx.span = outer_span;
  if (failure) {
    try {
      std::rethrow_exception(failure);
    } catch (const std::exception& e) {
      span.RecordException("std::exception", e.what());
    } catch (...) {
      span.RecordException("unknown", "a non-exception was thrown");
    }
    res = ErrorResponse(Error::Internal("internal error"));
  }

  telemetry::semconv::SetHttpResponse(span, static_cast<int>(res->result_int()),
                                      /*is_server=*/true);
  telemetry::TraceparentBuffer traceresponse;
  res->set("traceresponse", telemetry::FormatTraceparent(own, traceresponse));
  span.End();
  co_return std::move(*res);
}

}  // namespace

Middleware MakeTracingMiddleware(telemetry::Tracer& tracer,
                                 const telemetry::TextMapPropagator* propagator) {
  return [&tracer, propagator](const Request& req, RequestContext& ctx, const Next& next) {
    return Trace(tracer, propagator, req, ctx, next);
  };
}

}  // namespace blogtrace::http
