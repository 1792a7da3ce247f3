#include "cli/net_probe.h"

#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

namespace blogtrace::cli {
namespace {

// Owns a file descriptor.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

struct AddrInfoDeleter {
  void operator()(addrinfo* p) const { ::freeaddrinfo(p); }
};
using AddrInfoPtr = std::unique_ptr<addrinfo, AddrInfoDeleter>;

Result<AddrInfoPtr> Resolve(const HostPort& address, bool passive) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  if (passive) hints.ai_flags = AI_PASSIVE;
  addrinfo* result = nullptr;
  std::string port = std::to_string(address.port);
  int rc = ::getaddrinfo(address.host.c_str(), port.c_str(), &hints, &result);
  if (rc != 0 || result == nullptr) {
    return Error::BadRequest("cannot resolve " + address.ToString() + ": " + gai_strerror(rc));
  }
  return AddrInfoPtr(result);
}

using Clock = std::chrono::steady_clock;

int RemainingMs(Clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return left.count() > 0 ? static_cast<int>(left.count()) : 0;
}

}  // namespace

Status CheckBindable(const HostPort& address) {
  auto resolved = Resolve(address, true);
  if (!resolved) return resolved.error();
  const addrinfo* ai = resolved->get();
  Fd fd(::socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol));
  if (fd.get() < 0) return Error::Internal("cannot create a socket for " + address.ToString());
  int one = 1;
  ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (::bind(fd.get(), ai->ai_addr, ai->ai_addrlen) != 0) {
    int err = errno;
    std::string why = err == EADDRINUSE ? "address already in use" : std::strerror(err);
    return Error::Unavailable(why + ": " + address.ToString());
  }
  if (::listen(fd.get(), 1) != 0) {
    return Error::Unavailable(std::string(std::strerror(errno)) + ": " + address.ToString());
  }
  return {};
}

std::optional<int> ProbeHttp(const HostPort& address, const std::string& path,
                             std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  auto resolved = Resolve(address, false);
  if (!resolved) return std::nullopt;
  const addrinfo* ai = resolved->get();
  Fd fd(::socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, ai->ai_protocol));
  if (fd.get() < 0) return std::nullopt;
  if (::connect(fd.get(), ai->ai_addr, ai->ai_addrlen) != 0) {
    if (errno != EINPROGRESS) return std::nullopt;
    pollfd p{fd.get(), POLLOUT, 0};
    if (::poll(&p, 1, RemainingMs(deadline)) != 1) return std::nullopt;
    int err = 0;
    socklen_t len = sizeof err;
    ::getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &err, &len);
    if (err != 0) return std::nullopt;
  }
  std::string request =
      "GET " + path + " HTTP/1.1\r\nHost: " + address.ToString() + "\r\nConnection: close\r\n\r\n";
  std::size_t sent = 0;
  while (sent < request.size()) {
    pollfd p{fd.get(), POLLOUT, 0};
    if (::poll(&p, 1, RemainingMs(deadline)) != 1) return std::nullopt;
    ssize_t n = ::send(fd.get(), request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return std::nullopt;
    sent += static_cast<std::size_t>(n);
  }
  std::string response;
  while (response.find("\r\n") == std::string::npos && response.size() < 4096) {
    pollfd p{fd.get(), POLLIN, 0};
    if (::poll(&p, 1, RemainingMs(deadline)) != 1) return std::nullopt;
    char buffer[512];
    ssize_t n = ::recv(fd.get(), buffer, sizeof buffer, 0);
    if (n <= 0) break;
    response.append(buffer, static_cast<std::size_t>(n));
  }
  // "HTTP/1.1 200 OK"
  if (response.rfind("HTTP/1.", 0) != 0 || response.size() < 12) return std::nullopt;
  int status = 0;
  for (int i = 9; i < 12; ++i) {
    char c = response[i];
    if (c < '0' || c > '9') return std::nullopt;
    status = status * 10 + (c - '0');
  }
  return status;
}

}  // namespace blogtrace::cli
