#include "http/client.h"

#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <deque>
#include <mutex>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include "http/client_faults.h"
#include "http/header_carrier.h"
#include "telemetry/api/propagator.h"
#include "telemetry/api/semconv.h"
#include "telemetry/api/tracer.h"

namespace blogtrace::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using boost::system::error_code;
using Clock = std::chrono::steady_clock;

namespace {

// A connection in use by one call.
struct Connection {
  explicit Connection(asio::any_io_executor ex) : socket(std::move(ex)) {}
  tcp::socket socket;
  beast::flat_buffer buffer;
};

// An idle kept-alive connection: the bare descriptor, so the pool is tied to no io_context
// (a call adopts it on its own executor). Closed on destruction unless taken.
class IdleConnection {
 public:
  IdleConnection(int fd, tcp protocol) noexcept
      : fd_(fd), protocol_(protocol), since_(Clock::now()) {}
  IdleConnection(IdleConnection&& o) noexcept
      : fd_(std::exchange(o.fd_, -1)), protocol_(o.protocol_), since_(o.since_) {}
  IdleConnection& operator=(IdleConnection&& o) noexcept {
    if (this != &o) {
      Close();
      fd_ = std::exchange(o.fd_, -1);
      protocol_ = o.protocol_;
      since_ = o.since_;
    }
    return *this;
  }
  ~IdleConnection() { Close(); }

  Clock::time_point since() const noexcept { return since_; }
  // A connection the upstream closed (or that holds unexpected bytes) reads as ready; a live
  // idle one has nothing to read.
  bool LooksAlive() const noexcept {
    char probe;
    ssize_t n = ::recv(fd_, &probe, 1, MSG_PEEK | MSG_DONTWAIT);
    return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
  }
  // Hands the descriptor to a socket on `ex`.
  std::shared_ptr<Connection> Adopt(const asio::any_io_executor& ex) {
    auto conn = std::make_shared<Connection>(ex);
    error_code ec;
    conn->socket.assign(protocol_, fd_, ec);
    if (ec) return nullptr;
    fd_ = -1;
    return conn;
  }

 private:
  void Close() noexcept {
    if (fd_ >= 0) ::close(std::exchange(fd_, -1));
  }
  int fd_;
  tcp protocol_;
  Clock::time_point since_;
};

// Closes the connection when a deadline passes, so the pending operation fails. Runs on the
// call's strand, as does everything that touches the connection.
class Watchdog {
 public:
  explicit Watchdog(asio::any_io_executor ex) : timer_(std::move(ex)) {}
  ~Watchdog() { Disarm(); }

  void Arm(Clock::time_point deadline, std::shared_ptr<Connection> conn) {
    auto generation = ++state_->generation;
    timer_.expires_at(deadline);
    timer_.async_wait([state = state_, generation, conn = std::move(conn)](const error_code& ec) {
      if (ec || state->generation != generation) return;
      state->fired = true;
      error_code ignored;
      conn->socket.close(ignored);
    });
  }
  void Disarm() {
    ++state_->generation;
    timer_.cancel();
  }
  bool fired() const { return state_->fired; }

 private:
  struct State {
    std::uint64_t generation = 0;
    bool fired = false;
  };
  asio::steady_timer timer_;
  std::shared_ptr<State> state_ = std::make_shared<State>();
};

// Methods a retry cannot apply twice with a different effect (RFC 9110 section 9.2.2).
bool IsIdempotent(bhttp::verb v) {
  return v == bhttp::verb::get || v == bhttp::verb::head || v == bhttp::verb::put ||
         v == bhttp::verb::delete_ || v == bhttp::verb::options || v == bhttp::verb::trace;
}

// A low-cardinality name for a transport failure (error.type on the span).
std::string ErrorType(const error_code& ec, bool timed_out) {
  if (timed_out) return "timeout";
  if (ec == asio::error::connection_refused) return "connection_refused";
  if (ec == asio::error::connection_reset) return "connection_reset";
  if (ec == asio::error::eof || ec == bhttp::error::end_of_stream ||
      ec == bhttp::error::partial_message || ec == asio::error::broken_pipe) {
    return "connection_closed";
  }
  if (ec == asio::error::host_unreachable || ec == asio::error::network_unreachable) {
    return "unreachable";
  }
  if (ec == asio::error::host_not_found || ec == asio::error::host_not_found_try_again) {
    return "name_resolution";
  }
  if (ec == bhttp::error::body_limit) return "response_too_large";
  if (ec.category() == bhttp::make_error_code(bhttp::error::bad_version).category()) {
    return "invalid_response";
  }
  return "transport_error";
}

// The outcome of one attempt on one connection.
struct Attempt {
  error_code ec;
  bool timed_out = false;
  bool reused = false;     // the connection came from the pool
  bool sent = false;       // the whole request was written
  bool got_bytes = false;  // some of a response arrived
  std::optional<Response> response;
  bool keep_alive = false;
};

}  // namespace

class Client::Impl : public std::enable_shared_from_this<Client::Impl> {
 public:
  Impl(ClientOptions options, ClientTracing tracing)
      : options_(std::move(options)), tracing_(tracing), host_(options_.upstream.ToString()) {}

  asio::awaitable<Result<Response>> Send(const telemetry::Context& parent,
                                         Clock::time_point deadline, std::string_view route,
                                         Request request);
  std::size_t opened() const noexcept { return opened_.load(); }

 private:
  asio::awaitable<Attempt> Exchange(const Request& request, Clock::time_point deadline,
                                    bool allow_pooled);
  std::shared_ptr<Connection> TakeIdle(const asio::any_io_executor& ex);
  void PutIdle(Connection& conn);

  const ClientOptions options_;
  const ClientTracing tracing_;
  const std::string host_;  // "<host>:<port>": the Host header and the start of url.full
  std::atomic<std::size_t> opened_{0};
  std::mutex mu_;
  std::deque<IdleConnection> idle_;  // guarded by mu_; most recent at the back
};

std::shared_ptr<Connection> Client::Impl::TakeIdle(const asio::any_io_executor& ex) {
  std::lock_guard lock(mu_);
  while (!idle_.empty()) {
    IdleConnection idle = std::move(idle_.back());
    idle_.pop_back();
    if (Clock::now() - idle.since() > options_.max_idle_time || !idle.LooksAlive()) continue;
    if (auto conn = idle.Adopt(ex)) return conn;
  }
  return nullptr;
}

void Client::Impl::PutIdle(Connection& conn) {
  error_code ec;
  tcp protocol = conn.socket.local_endpoint(ec).protocol();
  if (ec) return;
  int fd = conn.socket.release(ec);
  if (ec) return;
  std::lock_guard lock(mu_);
  idle_.emplace_back(fd, protocol);
  while (idle_.size() > options_.max_idle_connections) idle_.pop_front();
}

asio::awaitable<Attempt> Client::Impl::Exchange(const Request& request, Clock::time_point deadline,
                                                bool allow_pooled) {
  auto ex = co_await asio::this_coro::executor;
  Attempt attempt;
  std::shared_ptr<Connection> conn = allow_pooled ? TakeIdle(ex) : nullptr;
  attempt.reused = conn != nullptr;
  Watchdog watchdog(ex);

  if (!conn) {
    conn = std::make_shared<Connection>(ex);
    tcp::resolver resolver(ex);
    auto endpoints = co_await resolver.async_resolve(
        options_.upstream.host, std::to_string(options_.upstream.port),
        asio::redirect_error(asio::use_awaitable, attempt.ec));
    if (attempt.ec) co_return attempt;
    watchdog.Arm(std::min(deadline, Clock::now() + options_.connect_timeout), conn);
    co_await asio::async_connect(conn->socket, endpoints,
                                 asio::redirect_error(asio::use_awaitable, attempt.ec));
    watchdog.Disarm();
    attempt.timed_out = watchdog.fired();
    if (attempt.ec || attempt.timed_out) co_return attempt;
    conn->socket.set_option(tcp::no_delay(true), attempt.ec);
    attempt.ec = {};
    opened_.fetch_add(1);
  }

  watchdog.Arm(deadline, conn);
  co_await bhttp::async_write(conn->socket, request,
                              asio::redirect_error(asio::use_awaitable, attempt.ec));
  if (!attempt.ec) {
    attempt.sent = true;
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(options_.response_body_limit);
    if (request.method() == bhttp::verb::head) parser.skip(true);
    co_await bhttp::async_read(conn->socket, conn->buffer, parser,
                               asio::redirect_error(asio::use_awaitable, attempt.ec));
    attempt.got_bytes = parser.got_some();
    if (!attempt.ec) {
      attempt.keep_alive = parser.get().keep_alive();
      attempt.response = parser.release();
    }
  }
  watchdog.Disarm();
  attempt.timed_out = watchdog.fired();
  if (attempt.timed_out) attempt.response.reset();
  if (attempt.response && attempt.keep_alive && conn->buffer.size() == 0) PutIdle(*conn);
  co_return attempt;
}

asio::awaitable<Result<Response>> Client::Impl::Send(const telemetry::Context& parent,
                                                     Clock::time_point deadline,
                                                     std::string_view route, Request request) {
  namespace semconv = telemetry::semconv;
  deadline = std::min(deadline, Clock::now() + options_.request_timeout);
  const std::string_view method = request.method_string();

  telemetry::NoopTracer noop;
  telemetry::Tracer& tracer = tracing_.tracer != nullptr ? *tracing_.tracer : noop;
  telemetry::Span span =
      tracer.StartSpan(semconv::HttpSpanName(method, route),
                       {.kind = telemetry::SpanKind::kClient, .parent = &parent});
  if (span.IsRecording()) {  // url.full is only built for a span that keeps it
    std::string url;
    url.reserve(7 + host_.size() + request.target().size());
    url.append("http://").append(host_).append(request.target());
    semconv::SetHttpClientRequest(span, method, url, options_.upstream.host,
                                  options_.upstream.port);
  }

  if (options_.faults != nullptr) {
    if (auto faulted = co_await ApplyUpstreamFaults(*options_.faults, options_.fault_upstream,
                                                    options_.upstream_name, span, deadline)) {
      co_return std::move(*faulted);
    }
  }

  request.set(bhttp::field::host, host_);
  request.keep_alive(true);
  request.prepare_payload();
  if (tracing_.propagator != nullptr) {
    HeaderCarrier carrier(request.base());
    tracing_.propagator->Inject(telemetry::ContextWithSpan(parent, span), carrier);
  }

  // Everything touching a connection runs on one strand per call, so the watchdog's close and
  // the I/O completions never overlap even on a multi-threaded io_context.
  auto strand = asio::make_strand(co_await asio::this_coro::executor);
  // The attempt is handed back through a shared slot: Asio 1.74's co_spawn with use_awaitable
  // reads a returned value from the finished coroutine's freed frame.
  auto self = shared_from_this();
  auto slot = std::make_shared<Attempt>();
  auto run = [&](bool allow_pooled) {
    return asio::co_spawn(
        strand,
        [self, slot, &request, deadline, allow_pooled]() -> asio::awaitable<void> {
          *slot = co_await self->Exchange(request, deadline, allow_pooled);
        },
        asio::use_awaitable);
  };
  co_await run(true);
  Attempt attempt = std::move(*slot);
  bool stale = attempt.ec && !attempt.timed_out && attempt.reused && !attempt.got_bytes &&
               (!attempt.sent || IsIdempotent(request.method()));
  if (stale && Clock::now() < deadline) {
    span.SetAttribute("http.request.resend_count", 1);
    co_await run(false);
    attempt = std::move(*slot);
  }

  if (attempt.response) {
    semconv::SetHttpResponse(span, static_cast<int>(attempt.response->result_int()),
                             /*is_server=*/false);
    co_return std::move(*attempt.response);
  }
  std::string type = ErrorType(attempt.ec, attempt.timed_out);
  std::string message = attempt.timed_out ? options_.upstream_name + " did not answer in time"
                                          : options_.upstream_name + " is unavailable";
  std::string detail = attempt.timed_out ? message : attempt.ec.message();
  co_return FailUpstreamSpan(span, type, detail, std::move(message));
}

Client::Client(ClientOptions options, ClientTracing tracing)
    : impl_(std::make_shared<Impl>(std::move(options), tracing)) {}

Client::~Client() = default;

asio::awaitable<Result<Response>> Client::Send(RequestContext& ctx, std::string_view route,
                                               Request request) {
  return impl_->Send(ctx.trace, ctx.deadline, route, std::move(request));
}

asio::awaitable<Result<Response>> Client::Send(const telemetry::Context& parent,
                                               std::chrono::steady_clock::time_point deadline,
                                               std::string_view route, Request request) {
  return impl_->Send(parent, deadline, route, std::move(request));
}

std::size_t Client::connections_opened() const noexcept { return impl_->opened(); }

}  // namespace blogtrace::http
