// BlogSystem: the real blog services (`blogtrace serve user|authen|author|blog`) started as
// separate processes for one test, on free loopback ports, with a fresh DATA_DIR, known
// ADMIN_KEY/INTERNAL_KEY and the OTEL_* variables the test chooses. Started in dependency order
// (user → authen → author → blog), each awaited on GET /healthz; stopped in reverse order with
// SIGTERM, which flushes their spans. The destructor stops whatever still runs and deletes
// DATA_DIR. Thread safety: none; use from the test's thread.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "child_process.h"
#include "http_client.h"

namespace blogtrace::tracing_test {

// The four services, in start order.
enum class Service { kUser = 0, kAuthen = 1, kAuthor = 2, kBlog = 3 };

// The word `blogtrace serve` takes ("user", "authen", ...).
const char* ServeName(Service service);

// How to start a system.
struct SystemOptions {
  // Where every service exports spans (OTEL_EXPORTER_OTLP_ENDPOINT).
  std::string otlp_endpoint;
  // Which services to start; the others get an address where nothing listens.
  std::vector<Service> services{Service::kUser, Service::kAuthen, Service::kAuthor, Service::kBlog};
  // Variables for every service (override the defaults below).
  std::map<std::string, std::string> env;
  // Variables for one service (override `env`).
  std::map<Service, std::map<std::string, std::string>> service_env;
};

// A running system.
class BlogSystem {
 public:
  explicit BlogSystem(SystemOptions options);
  ~BlogSystem();
  BlogSystem(const BlogSystem&) = delete;
  BlogSystem& operator=(const BlogSystem&) = delete;

  // The program under test: $BLOGTRACE_BIN, else the path CMake compiled in.
  static std::string BinaryPath();

  // Starts the selected services; "" on success, else what failed with the logs.
  std::string Start();
  // Stops one service (SIGTERM, bounded wait); "" when it exited cleanly, else why not.
  std::string Stop(Service service);
  // Stops every running service in reverse start order; "" when all exited cleanly.
  std::string StopAll();

  // Where a service listens.
  std::uint16_t port(Service service) const { return ports_[static_cast<int>(service)]; }
  // Sends a request to a service.
  HttpResponse Call(Service service, const HttpRequest& request) const;

  const std::string& admin_key() const { return admin_key_; }
  const std::string& internal_key() const { return internal_key_; }
  // Every service's captured output, labelled (for failure messages).
  std::string Logs() const;

 private:
  SystemOptions options_;
  std::string data_dir_;
  std::string admin_key_;
  std::string internal_key_;
  std::array<std::uint16_t, 4> ports_{};
  std::array<std::unique_ptr<ChildProcess>, 4> processes_;
};

}  // namespace blogtrace::tracing_test
