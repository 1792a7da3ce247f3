#include "telemetry/tracecontext/test_service.h"

#include <sys/socket.h>

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <list>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "telemetry/otlp/http_client.h"
#include "telemetry/sdk/tracer_provider.h"

namespace blogtrace::telemetry::tracecontext {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

class MapCarrier final : public TextMapCarrier {
 public:
  explicit MapCarrier(const std::map<std::string, std::string>* in) : in_(in) {}
  std::optional<std::string_view> Get(std::string_view key) const override {
    if (in_ == nullptr) return std::nullopt;
    auto it = in_->find(std::string(key));
    if (it == in_->end()) return std::nullopt;
    return std::string_view(it->second);
  }
  void Set(std::string_view key, std::string_view value) override {
    out.emplace_back(std::string(key), std::string(value));
  }
  std::vector<std::pair<std::string, std::string>> out;

 private:
  const std::map<std::string, std::string>* in_;
};

}  // namespace

std::optional<std::vector<Callback>> ParseTestBody(std::string_view body) {
  auto json = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!json.is_array()) return std::nullopt;
  std::vector<Callback> out;
  for (const auto& item : json) {
    if (!item.is_object() || !item.contains("url") || !item["url"].is_string()) return std::nullopt;
    Callback c;
    c.url = item["url"].get<std::string>();
    c.arguments_json = item.contains("arguments") ? item["arguments"].dump() : "[]";
    out.push_back(std::move(c));
  }
  return out;
}

struct TestService::Impl {
  sdk::TracerProvider provider{sdk::TracerProviderOptions{}};
  W3CTraceContextPropagator propagator;
  asio::io_context ioc;
  tcp::acceptor acceptor{ioc};
  std::thread accept_thread;
  std::atomic<bool> stopping{false};
  std::mutex mu;
  std::list<std::shared_ptr<tcp::socket>> sockets;
  std::list<std::thread> sessions;

  void Session(TestService& service, std::shared_ptr<tcp::socket> socket) {
    beast::flat_buffer buffer;
    beast::error_code ec;
    for (;;) {
      http::request<http::string_body> req;
      http::read(*socket, buffer, req, ec);
      if (ec) return;
      std::map<std::string, std::string> headers;
      for (const auto& f : req) {
        std::string name(f.name_string());
        for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        auto [it, inserted] = headers.emplace(name, std::string(f.value()));
        if (!inserted) it->second.append(",").append(f.value());
      }
      http::response<http::string_body> res;
      res.version(11);
      if (req.method() == http::verb::post && req.target() == "/test") {
        std::string traceresponse;
        res.result(
            static_cast<http::status>(service.HandleTest(headers, req.body(), traceresponse)));
        res.set("traceresponse", traceresponse);
        res.body() = "{}";
      } else {
        res.result(http::status::not_found);
        res.body() = R"({"error":"not_found","message":"only POST /test is served"})";
      }
      res.set(http::field::content_type, "application/json");
      res.keep_alive(req.keep_alive());
      res.prepare_payload();
      http::write(*socket, res, ec);
      if (ec || !req.keep_alive()) return;
    }
  }
};

TestService::TestService(const std::string& host, std::uint16_t port)
    : impl_(std::make_unique<Impl>()) {
  tcp::endpoint ep(asio::ip::make_address(host), port);
  impl_->acceptor.open(ep.protocol());
  impl_->acceptor.set_option(tcp::acceptor::reuse_address(true));
  impl_->acceptor.bind(ep);
  impl_->acceptor.listen();
}

TestService::~TestService() { Stop(); }

std::uint16_t TestService::port() const noexcept {
  beast::error_code ec;
  return impl_->acceptor.local_endpoint(ec).port();
}

void TestService::Start() {
  impl_->accept_thread = std::thread([this] {
    Impl& d = *impl_;
    for (;;) {
      auto socket = std::make_shared<tcp::socket>(d.ioc);
      beast::error_code ec;
      d.acceptor.accept(*socket, ec);
      if (d.stopping) return;
      if (ec) continue;
      std::lock_guard lock(d.mu);
      d.sockets.push_back(socket);
      d.sessions.emplace_back([this, socket] { impl_->Session(*this, socket); });
    }
  });
}

void TestService::Stop() {
  Impl& d = *impl_;
  if (d.stopping.exchange(true)) return;
  ::shutdown(d.acceptor.native_handle(), SHUT_RDWR);
  if (d.accept_thread.joinable()) d.accept_thread.join();
  std::list<std::thread> sessions;
  {
    std::lock_guard lock(d.mu);
    for (auto& s : d.sockets) ::shutdown(s->native_handle(), SHUT_RDWR);
    sessions.swap(d.sessions);
  }
  for (auto& t : sessions) t.join();
}

int TestService::HandleTest(const std::map<std::string, std::string>& headers,
                            std::string_view body, std::string& traceresponse) {
  Impl& d = *impl_;
  Context incoming = d.propagator.Extract(MapCarrier(&headers));
  Tracer& tracer = d.provider.GetTracer("blogtrace.tracecontext");
  Span server = tracer.StartSpan("POST /test", {.kind = SpanKind::kServer, .parent = &incoming});
  traceresponse = FormatTraceResponse(server.context());
  auto callbacks = ParseTestBody(body);
  if (!callbacks) return 400;
  Context server_ctx = ContextWithSpan(incoming, server);
  otlp::HttpClient client;
  for (const auto& c : *callbacks) {
    Span call = tracer.StartSpan("POST", {.kind = SpanKind::kClient, .parent = &server_ctx});
    MapCarrier out(nullptr);
    d.propagator.Inject(ContextWithSpan(server_ctx, call), out);
    out.out.emplace_back("Content-Type", "application/json");
    auto url = otlp::ParseHttpUrl(c.url);
    if (!url || url->scheme != "http") continue;
    std::string error;
    auto res = client.Post(*url, out.out, c.arguments_json,
                           std::chrono::steady_clock::now() + std::chrono::seconds(5), error);
    if (!res) call.SetStatus(StatusCode::kError, error);
  }
  return 200;
}

}  // namespace blogtrace::telemetry::tracecontext
