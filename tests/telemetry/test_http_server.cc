#include "tests/telemetry/test_http_server.h"

#include <sys/socket.h>

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <list>

namespace blogtrace::telemetry::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

struct TestHttpServer::Impl {
  Handler handler;
  asio::io_context ioc;
  tcp::acceptor acceptor{ioc};
  std::thread accept_thread;
  std::atomic<bool> stopping{false};
  mutable std::mutex mu;
  mutable std::condition_variable cv;
  std::vector<TestRequest> requests;
  std::list<std::shared_ptr<tcp::socket>> sockets;
  std::list<std::thread> sessions;

  void Session(std::shared_ptr<tcp::socket> socket) {
    beast::flat_buffer buffer;
    beast::error_code ec;
    for (;;) {
      http::request<http::string_body> req;
      http::read(*socket, buffer, req, ec);
      if (ec) return;
      TestRequest r;
      r.method = std::string(req.method_string());
      r.target = std::string(req.target());
      for (const auto& f : req) {
        std::string name(f.name_string());
        for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        r.headers.emplace(name, std::string(f.value()));
      }
      r.body = req.body();
      {
        std::lock_guard lock(mu);
        requests.push_back(r);
      }
      cv.notify_all();
      TestResponse out = handler(r);
      if (out.close_without_response) {
        socket->shutdown(tcp::socket::shutdown_both, ec);  // closed with the server
        return;
      }
      http::response<http::string_body> res{static_cast<http::status>(out.status), 11};
      for (const auto& [k, v] : out.headers) res.set(k, v);
      res.body() = out.body;
      res.keep_alive(req.keep_alive());
      res.prepare_payload();
      http::write(*socket, res, ec);
      if (ec || !req.keep_alive()) return;
    }
  }
};

TestHttpServer::TestHttpServer(Handler handler) : impl_(std::make_unique<Impl>()) {
  impl_->handler = std::move(handler);
  tcp::endpoint ep(asio::ip::make_address("127.0.0.1"), 0);
  impl_->acceptor.open(ep.protocol());
  impl_->acceptor.set_option(tcp::acceptor::reuse_address(true));
  impl_->acceptor.bind(ep);
  impl_->acceptor.listen();
  port_ = impl_->acceptor.local_endpoint().port();
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
      d.sessions.emplace_back([&d, socket] { d.Session(socket); });
    }
  });
}

TestHttpServer::~TestHttpServer() {
  Impl& d = *impl_;
  d.stopping = true;
  ::shutdown(d.acceptor.native_handle(), SHUT_RDWR);  // unblocks accept()
  d.accept_thread.join();
  std::list<std::thread> sessions;
  {
    std::lock_guard lock(d.mu);
    for (auto& s : d.sockets) ::shutdown(s->native_handle(), SHUT_RDWR);
    sessions.swap(d.sessions);
  }
  for (auto& t : sessions) t.join();
}

std::vector<TestRequest> TestHttpServer::requests() const {
  std::lock_guard lock(impl_->mu);
  return impl_->requests;
}

std::size_t TestHttpServer::request_count() const {
  std::lock_guard lock(impl_->mu);
  return impl_->requests.size();
}

bool TestHttpServer::WaitForRequests(std::size_t n, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(impl_->mu);
  return impl_->cv.wait_for(lock, timeout, [&] { return impl_->requests.size() >= n; });
}

}  // namespace blogtrace::telemetry::testing
