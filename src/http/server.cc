#include "http/server.h"

#include <cxxabi.h>
#include <atomic>
#include <limits>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <typeinfo>

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include "common/log.h"
#include "http/request_log.h"
#include "http/response.h"
#include "http/tracing_middleware.h"
#include "http/url.h"
#include "telemetry/api/span.h"

namespace blogtrace::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using boost::system::error_code;

namespace {

// After an answer that closes the connection, input is read and thrown away until the peer
// closes, so the client reads the answer instead of a reset (closing a socket with unread input
// sends RST, which discards what the peer has not read yet). A client still sending a large body
// (an 8 MiB upload answered by 413) must be able to finish writing, so the bound is mainly time:
// at most kDrainTimeout (also bounded by read_timeout), and at most kDrainLimit bytes so a very
// fast sender cannot keep a connection busy for the whole time for free.
constexpr std::size_t kDrainLimit = 64 * 1024 * 1024;
constexpr std::chrono::milliseconds kDrainTimeout{2'000};
// The drain bound once shutdown has begun.
constexpr std::chrono::milliseconds kDrainWhileStopping{200};

// The readable name of the exception type (demangled), for logs and span events.
std::string ExceptionTypeName(const std::exception& e) {
  const char* mangled = typeid(e).name();
  int status = 0;
  char* demangled = abi::__cxa_demangle(mangled, nullptr, nullptr, &status);
  std::string name = status == 0 && demangled != nullptr ? demangled : mangled;
  std::free(demangled);
  return name;
}

// A peer that went away or was too slow: nothing can be answered.
bool IsDisconnect(const error_code& ec) {
  return ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message ||
         ec == beast::error::timeout || ec == asio::error::operation_aborted ||
         ec == asio::error::connection_reset || ec == asio::error::eof ||
         ec == asio::error::broken_pipe || ec == asio::error::bad_descriptor;
}

// For an answer to a request whose header could not be parsed (too large, malformed): the
// method and target of its request line when they look sane, so spans and logs can name them.
void PeekRequestLine(std::string_view data, Request& req) {
  constexpr std::size_t kMaxTarget = 2048;
  std::string_view line = data.substr(0, data.find("\r\n"));
  std::size_t sp1 = line.find(' ');
  if (sp1 == std::string_view::npos) return;
  std::size_t sp2 = line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos || sp2 - sp1 - 1 > kMaxTarget) return;
  bhttp::verb method = bhttp::string_to_verb(line.substr(0, sp1));
  std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  if (method == bhttp::verb::unknown || target.empty() || target.front() != '/') return;
  req.method(method);
  req.target(target);
}

// True for `Expect: 100-continue` (RFC 9110 section 10.1.1; the token is case-insensitive).
bool ExpectsContinue(const bhttp::request_parser<bhttp::string_body>::value_type& req) {
  std::string_view expect = req[bhttp::field::expect];
  return beast::iequals(expect, "100-continue");
}

// Logs what escaped a connection coroutine; never rethrows (that would end the I/O thread).
void LogEscaped(std::exception_ptr e) {
  if (!e) return;
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& ex) {
    Logger::Bg().Error(
        "connection ended by an exception",
        {{"exception.type", ExceptionTypeName(ex)}, {"exception.message", ex.what()}});
  } catch (...) {
    Logger::Bg().Error("connection ended by an unknown exception");
  }
}

}  // namespace

// One accepted connection, shared between its coroutine and the shutdown logic.
struct Connection {
  explicit Connection(tcp::socket socket) : stream(std::move(socket)) {}
  beast::tcp_stream stream;
  // True while waiting for a request (or draining): shutdown may close it. Read and written
  // only on the connection's strand.
  bool idle = true;
};

class Server::Impl {
 public:
  Impl(ServerOptions options, Router router, std::vector<Middleware> middleware,
       ServerTracing tracing)
      : options_(std::move(options)),
        router_(std::move(router)),
        control_(asio::make_strand(ioc_)),
        acceptor_(control_),
        grace_timer_(control_) {
    if (tracing.tracer != nullptr) {
      chain_.push_back(MakeTracingMiddleware(*tracing.tracer, tracing.propagator));
    }
    for (Middleware& m : middleware) chain_.push_back(std::move(m));
  }

  Status Start();
  void Run();
  void Stop() noexcept;
  std::uint16_t port() const noexcept { return port_.load(); }

 private:
  asio::awaitable<void> Accept();
  asio::awaitable<void> Serve(tcp::socket socket);
  asio::awaitable<Response> Dispatch(const Request& req, RequestContext& ctx,
                                     const std::optional<Error>& reject);
  asio::awaitable<Response> Invoke(std::size_t index, const Request& req, RequestContext& ctx,
                                   const Next& terminal);
  asio::awaitable<Response> Terminal(const Request& req, RequestContext& ctx,
                                     const std::optional<Error>& reject, const RouteMatch& match);
  asio::awaitable<void> Drain(Connection& conn);
  void BeginShutdown();
  bool Register(const std::shared_ptr<Connection>& conn);
  void Unregister(const Connection* conn);

  const ServerOptions options_;
  const Router router_;
  std::vector<Middleware> chain_;

  // Declared before the I/O objects: coroutine frames destroyed with ioc_ unregister here.
  std::mutex mu_;
  std::map<const Connection*, std::shared_ptr<Connection>> conns_;  // guarded by mu_
  bool stopping_ = false;                                           // guarded by mu_
  std::atomic<bool> stop_requested_{false};

  asio::io_context ioc_;
  // Serialises the acceptor, the signal set and shutdown (which run on different threads).
  asio::strand<asio::io_context::executor_type> control_;
  tcp::acceptor acceptor_;
  std::optional<asio::signal_set> signals_;
  asio::steady_timer grace_timer_;
  std::atomic<std::uint16_t> port_{0};
};

Status Server::Impl::Start() {
  const std::string where = options_.address.ToString();
  error_code ec;
  tcp::endpoint endpoint;
  asio::ip::address address = asio::ip::make_address(options_.address.host, ec);
  if (!ec) {
    endpoint = tcp::endpoint(address, options_.address.port);
  } else {
    tcp::resolver resolver(ioc_);
    auto results = resolver.resolve(options_.address.host, std::to_string(options_.address.port),
                                    tcp::resolver::passive, ec);
    if (ec || results.empty()) return Error::Internal("cannot resolve listen address: " + where);
    endpoint = *results.begin();
  }
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (ec == asio::error::address_in_use) {
    acceptor_.close();
    return Error::Internal("address already in use: " + where);
  }
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    acceptor_.close();
    return Error::Internal("cannot listen on " + where + ": " + ec.message());
  }
  port_ = acceptor_.local_endpoint().port();
  asio::co_spawn(control_, Accept(), LogEscaped);
  if (options_.handle_signals) {
    signals_.emplace(control_, SIGINT, SIGTERM);
    signals_->async_wait(asio::bind_executor(control_, [this](const error_code& e, int) {
      if (!e) BeginShutdown();
    }));
  }
  return {};
}

void Server::Impl::Run() {
  std::vector<std::thread> threads;
  for (int i = 1; i < options_.threads; ++i) {
    threads.emplace_back([this] { ioc_.run(); });
  }
  ioc_.run();
  for (std::thread& t : threads) t.join();
}

void Server::Impl::Stop() noexcept {
  if (stop_requested_.exchange(true)) return;
  try {
    asio::post(control_, [this] { BeginShutdown(); });
  } catch (...) {
    ioc_.stop();
  }
}

void Server::Impl::BeginShutdown() {
  error_code ec;
  acceptor_.close(ec);
  if (signals_) signals_->cancel(ec);
  std::vector<std::shared_ptr<Connection>> conns;
  {
    std::lock_guard lock(mu_);
    if (stopping_) return;
    stopping_ = true;
    if (conns_.empty()) {
      ioc_.stop();
      return;
    }
    for (auto& [key, conn] : conns_) conns.push_back(conn);
  }
  // Idle connections close now; busy ones close after their current response.
  for (auto& conn : conns) {
    asio::post(conn->stream.get_executor(), [conn] {
      if (conn->idle) conn->stream.cancel();
    });
  }
  grace_timer_.expires_after(options_.shutdown_grace);
  grace_timer_.async_wait([this](const error_code& e) {
    if (e) return;
    Logger::Bg().Warn("shutdown grace period over; abandoning in-flight requests",
                      {{"service", options_.service_name}});
    ioc_.stop();
  });
}

bool Server::Impl::Register(const std::shared_ptr<Connection>& conn) {
  std::lock_guard lock(mu_);
  if (stopping_) return false;
  conns_.emplace(conn.get(), conn);
  return true;
}

void Server::Impl::Unregister(const Connection* conn) {
  std::lock_guard lock(mu_);
  conns_.erase(conn);
  if (stopping_ && conns_.empty()) ioc_.stop();
}

asio::awaitable<void> Server::Impl::Accept() {
  for (;;) {
    error_code ec;
    tcp::socket socket = co_await acceptor_.async_accept(
        asio::make_strand(ioc_), asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      if (ec == asio::error::operation_aborted || !acceptor_.is_open()) co_return;
      // Out of descriptors and the like: log and keep accepting after a short pause.
      Logger::Bg().Warn("accept failed", {{"error", ec.message()}});
      asio::steady_timer pause(control_, std::chrono::milliseconds(50));
      co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      continue;
    }
    auto executor = socket.get_executor();
    asio::co_spawn(executor, Serve(std::move(socket)), LogEscaped);
  }
}

asio::awaitable<void> Server::Impl::Drain(Connection& conn) {
  conn.idle = true;
  error_code ec;
  conn.stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  // Shutdown cancels idle connections, so a drain that starts later would miss that; it then
  // only gets a short moment.
  std::chrono::milliseconds bound =
      std::min<std::chrono::milliseconds>(kDrainTimeout, options_.read_timeout);
  {
    std::lock_guard lock(mu_);
    if (stopping_) bound = std::min<std::chrono::milliseconds>(bound, kDrainWhileStopping);
  }
  conn.stream.expires_after(bound);
  std::vector<char> scratch(16 * 1024);
  std::size_t drained = 0;
  while (!ec && drained < kDrainLimit) {
    drained += co_await conn.stream.async_read_some(asio::buffer(scratch),
                                                    asio::redirect_error(asio::use_awaitable, ec));
  }
}

asio::awaitable<void> Server::Impl::Serve(tcp::socket socket) {
  auto conn = std::make_shared<Connection>(std::move(socket));
  if (!Register(conn)) co_return;
  struct Unregisterer {
    Impl* impl;
    const Connection* conn;
    ~Unregisterer() { impl->Unregister(conn); }
  } unregister{this, conn.get()};

  beast::tcp_stream& stream = conn->stream;
  error_code ec;
  std::string peer_address, local_address;
  std::uint16_t peer_port = 0, local_port = 0;
  if (auto ep = stream.socket().remote_endpoint(ec); !ec) {
    peer_address = ep.address().to_string();
    peer_port = ep.port();
  }
  if (auto ep = stream.socket().local_endpoint(ec); !ec) {
    local_address = ep.address().to_string();
    local_port = ep.port();
  }

  beast::flat_buffer buffer;
  for (;;) {
    // Wait for the next request's first byte with the idle timeout; the whole request then gets
    // the read timeout.
    if (buffer.size() == 0) {
      conn->idle = true;
      {
        std::lock_guard lock(mu_);
        if (stopping_) break;
      }
      stream.expires_after(options_.idle_timeout);
      std::size_t n = co_await stream.async_read_some(
          buffer.prepare(8 * 1024), asio::redirect_error(asio::use_awaitable, ec));
      if (ec) break;
      buffer.commit(n);
    }
    conn->idle = false;

    stream.expires_after(options_.read_timeout);
    bhttp::request_parser<bhttp::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(options_.header_limit));
    parser.body_limit(std::numeric_limits<std::uint64_t>::max());
    // Beast's header_limit only catches a head still incomplete when the limit is reached; a
    // head that arrives whole in one read can pass it, so the bytes the parser consumed for the
    // head (request line and fields) are checked against the same limit too.
    std::size_t head_bytes = co_await bhttp::async_read_header(
        stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
    std::optional<Error> reject;
    if (ec == bhttp::error::header_limit || (!ec && head_bytes > options_.header_limit)) {
      reject =
          Error{ErrorCode::kHeadersTooLarge,
                "the request headers exceed " + std::to_string(options_.header_limit) + " bytes"};
    } else if (ec) {
      if (IsDisconnect(ec)) break;
      reject = Error::BadRequest("malformed HTTP request");
    } else if (std::size_t count = std::distance(parser.get().begin(), parser.get().end());
               count > options_.max_headers) {
      reject = Error{ErrorCode::kHeadersTooLarge,
                     "the request has " + std::to_string(count) + " header fields; at most " +
                         std::to_string(options_.max_headers) + " are accepted"};
    } else if (parser.content_length() && *parser.content_length() > options_.body_limit) {
      reject = Error{ErrorCode::kPayloadTooLarge,
                     "the request body exceeds " + std::to_string(options_.body_limit) + " bytes"};
    } else {
      parser.body_limit(options_.body_limit);
      // Clients such as curl announce larger bodies and wait (about a second) for this.
      if (ExpectsContinue(parser.get()) && !parser.is_done()) {
        static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
        stream.expires_after(options_.write_timeout);
        co_await asio::async_write(stream, asio::buffer(kContinue.data(), kContinue.size()),
                                   asio::redirect_error(asio::use_awaitable, ec));
        if (ec) break;
        stream.expires_after(options_.read_timeout);
      }
      co_await bhttp::async_read(stream, buffer, parser,
                                 asio::redirect_error(asio::use_awaitable, ec));
      if (ec == bhttp::error::body_limit) {
        reject =
            Error{ErrorCode::kPayloadTooLarge,
                  "the request body exceeds " + std::to_string(options_.body_limit) + " bytes"};
      } else if (ec) {
        if (IsDisconnect(ec)) break;
        reject = Error::BadRequest("malformed HTTP request");
      }
    }

    // On a header error the parser holds what it parsed so far (often the request line and
    // some fields); otherwise the request line may still be in the buffer.
    Request req = parser.release();
    if (reject && req.method() == bhttp::verb::unknown) {
      PeekRequestLine(
          std::string_view(static_cast<const char*>(buffer.data().data()), buffer.data().size()),
          req);
    }
    bool close = reject.has_value() || !req.keep_alive();

    RequestContext ctx;
    auto [path, query] = SplitTarget(req.target());
    ctx.path = std::string(path);
    ctx.query_params = ParseQuery(query);
    ctx.peer_address = peer_address;
    ctx.peer_port = peer_port;
    ctx.local_address = local_address;
    ctx.local_port = local_port;
    ctx.deadline = std::chrono::steady_clock::now() + options_.handler_timeout;

    auto started = std::chrono::steady_clock::now();
    Response res = co_await Dispatch(req, ctx, reject);
    if (Logger::Bg().Enabled(LogLevel::kDebug)) {
      auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
          std::chrono::steady_clock::now() - started);
      LogFor(ctx).Debug("request", {{"method", req.method_string()},
                                    {"route", ctx.route},
                                    {"status", res.result_int()},
                                    {"duration_ms", static_cast<std::int64_t>(ms.count())}});
    }
    {
      std::lock_guard lock(mu_);
      if (stopping_) close = true;
    }
    if (!res.keep_alive()) close = true;
    res.version(req.version() == 10 ? 10 : 11);
    res.keep_alive(!close);
    res.prepare_payload();
    if (req.method() == bhttp::verb::head) {
      std::size_t length = res.body().size();
      res.body().clear();
      res.content_length(length);
    }

    stream.expires_after(options_.write_timeout);
    co_await bhttp::async_write(stream, res, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) break;
    if (close) {
      co_await Drain(*conn);
      break;
    }
  }
  stream.socket().close(ec);
}

asio::awaitable<Response> Server::Impl::Dispatch(const Request& req, RequestContext& ctx,
                                                 const std::optional<Error>& reject) {
  RouteMatch match;
  if (!reject) {
    match = router_.Find(req.method(), ctx.path);
    if (match.kind == RouteMatch::Kind::kFound) {
      ctx.route = match.route;
      ctx.path_params = std::move(match.params);
    }
  }
  // Never null for handlers, even without the tracing middleware.
  telemetry::Span no_span;
  ctx.span = &no_span;
  Next terminal = [this, &reject, &match](const Request& r, RequestContext& c) {
    return Terminal(r, c, reject, match);
  };
  std::exception_ptr failure;
  try {
    co_return co_await Invoke(0, req, ctx, terminal);
  } catch (...) {
    failure = std::current_exception();
  }
  try {
    std::rethrow_exception(failure);
  } catch (const std::exception& e) {
    Logger::Bg().Error("middleware threw",
                       {{"exception.type", ExceptionTypeName(e)}, {"exception.message", e.what()}});
  } catch (...) {
    Logger::Bg().Error("middleware threw a non-exception");
  }
  co_return ErrorResponse(Error::Internal("internal error"));
}

asio::awaitable<Response> Server::Impl::Invoke(std::size_t index, const Request& req,
                                               RequestContext& ctx, const Next& terminal) {
  if (index == chain_.size()) co_return co_await terminal(req, ctx);
  Next next = [this, index, &terminal](const Request& r, RequestContext& c) {
    return Invoke(index + 1, r, c, terminal);
  };
  co_return co_await chain_[index](req, ctx, next);
}

asio::awaitable<Response> Server::Impl::Terminal(const Request& req, RequestContext& ctx,
                                                 const std::optional<Error>& reject,
                                                 const RouteMatch& match) {
  if (reject) co_return ErrorResponse(*reject);
  if (match.kind == RouteMatch::Kind::kNotFound) {
    co_return ErrorResponse(Error::NotFound("nothing is served at this path"));
  }
  if (match.kind == RouteMatch::Kind::kMethodNotAllowed) {
    co_return ErrorResponse(Error{ErrorCode::kMethodNotAllowed,
                                  "this path does not accept " + std::string(req.method_string()) +
                                      "; allowed: " + match.allow},
                            match.allow);
  }
  std::exception_ptr failure;
  try {
    co_return co_await (*match.handler)(req, ctx);
  } catch (...) {
    failure = std::current_exception();
  }
  // The detail goes to the log and the span, never to the client.
  try {
    std::rethrow_exception(failure);
  } catch (const std::exception& e) {
    std::string type = ExceptionTypeName(e);
    ctx.span->RecordException(type, e.what());
    LogFor(ctx).Error(
        "handler threw",
        {{"route", ctx.route}, {"exception.type", type}, {"exception.message", e.what()}});
  } catch (...) {
    ctx.span->RecordException("unknown", "a non-exception was thrown");
    LogFor(ctx).Error("handler threw a non-exception", {{"route", ctx.route}});
  }
  co_return ErrorResponse(Error::Internal("internal error"));
}

Server::Server(ServerOptions options, Router router, std::vector<Middleware> middleware,
               ServerTracing tracing)
    : impl_(std::make_shared<Impl>(std::move(options), std::move(router), std::move(middleware),
                                   tracing)) {}

Server::~Server() = default;

Status Server::Start() { return impl_->Start(); }
std::uint16_t Server::port() const noexcept { return impl_->port(); }
void Server::Run() { impl_->Run(); }
void Server::Stop() noexcept { impl_->Stop(); }

}  // namespace blogtrace::http
