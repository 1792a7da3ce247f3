#include "blog_system.h"

#include <stdlib.h>

#include <sys/wait.h>

#include <filesystem>
#include <random>
#include <thread>

#ifndef BLOGTRACE_BIN
#define BLOGTRACE_BIN ""
#endif

namespace blogtrace::tracing_test {
namespace {

constexpr auto kStartTimeout = std::chrono::seconds(30);
constexpr auto kStopTimeout = std::chrono::seconds(15);

std::string RandomHex(std::size_t bytes) {
  std::random_device random;
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  for (std::size_t i = 0; i < bytes * 2; ++i) hex.push_back(kDigits[random() & 0xf]);
  return hex;
}

std::string Addr(std::uint16_t port) { return "127.0.0.1:" + std::to_string(port); }

}  // namespace

const char* ServeName(Service service) {
  switch (service) {
    case Service::kUser:
      return "user";
    case Service::kAuthen:
      return "authen";
    case Service::kAuthor:
      return "author";
    case Service::kBlog:
      return "blog";
  }
  return "?";
}

BlogSystem::BlogSystem(SystemOptions options) : options_(std::move(options)) {
  std::string pattern =
      (std::filesystem::temp_directory_path() / "blogtrace-tracing-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  data_dir_ = pattern;
  admin_key_ = "admin-" + RandomHex(16);
  internal_key_ = "internal-" + RandomHex(16);
  for (std::uint16_t& port : ports_) port = FreePort();
}

BlogSystem::~BlogSystem() {
  StopAll();
  std::error_code ignored;
  std::filesystem::remove_all(data_dir_, ignored);
}

std::string BlogSystem::BinaryPath() {
  if (const char* env = std::getenv("BLOGTRACE_BIN"); env != nullptr && *env != '\0') return env;
  return BLOGTRACE_BIN;
}

std::string BlogSystem::Start() {
  std::map<std::string, std::string> base = CurrentEnvironment();
  // The test decides every tracing variable; none leaks in from the caller's shell.
  std::erase_if(base, [](const auto& kv) { return kv.first.rfind("OTEL_", 0) == 0; });
  base["USER_ADDR"] = Addr(port(Service::kUser));
  base["AUTHEN_ADDR"] = Addr(port(Service::kAuthen));
  base["AUTHOR_ADDR"] = Addr(port(Service::kAuthor));
  base["BLOG_ADDR"] = Addr(port(Service::kBlog));
  base["COLLECTOR_ADDR"] = Addr(FreePort());
  base["QUERY_ADDR"] = Addr(FreePort());
  base["DATA_DIR"] = data_dir_;
  base["STORE"] = "sqlite";
  base["ADMIN_KEY"] = admin_key_;
  base["INTERNAL_KEY"] = internal_key_;
  base["OTEL_EXPORTER_OTLP_ENDPOINT"] = options_.otlp_endpoint;
  base["OTEL_BSP_SCHEDULE_DELAY"] = "100";
  base["OTEL_TRACES_SAMPLER"] = "parentbased_always_on";
  for (const auto& [key, value] : options_.env) base[key] = value;

  const std::string binary = BinaryPath();
  for (Service service : options_.services) {
    auto env = base;
    if (auto it = options_.service_env.find(service); it != options_.service_env.end()) {
      for (const auto& [key, value] : it->second) env[key] = value;
    }
    const int index = static_cast<int>(service);
    processes_[index] = std::make_unique<ChildProcess>(
        binary, std::vector<std::string>{"serve", ServeName(service)}, env,
        data_dir_ + "/" + ServeName(service) + ".log");
    // Readiness is a condition (healthz answers 200); poll it in short steps, bounded.
    auto deadline = std::chrono::steady_clock::now() + kStartTimeout;
    while (true) {
      if (!processes_[index]->Running()) {
        return std::string("`blogtrace serve ") + ServeName(service) + "` exited (status " +
               std::to_string(processes_[index]->exit_status().value_or(-1)) + ")\n" + Logs();
      }
      HttpResponse health = Call(service, HttpRequest{"GET", "/healthz", {}, {}});
      if (health.status == 200) break;
      if (std::chrono::steady_clock::now() > deadline) {
        return std::string("`blogtrace serve ") + ServeName(service) + "` not healthy in time\n" +
               Logs();
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
  }
  return "";
}

std::string BlogSystem::Stop(Service service) {
  auto& process = processes_[static_cast<int>(service)];
  if (!process) return "";
  std::optional<int> status = process->Terminate(kStopTimeout);
  std::string problem;
  if (!status) {
    problem = std::string(ServeName(service)) + " did not stop within the timeout\n";
  } else if (!WIFEXITED(*status) || WEXITSTATUS(*status) != 0) {
    problem = std::string(ServeName(service)) + " exited with wait status " +
              std::to_string(*status) + "\n";
  }
  return problem;
}

std::string BlogSystem::StopAll() {
  std::string problems;
  for (int i = 3; i >= 0; --i) {
    if (processes_[i] && !processes_[i]->exit_status()) problems += Stop(static_cast<Service>(i));
  }
  return problems;
}

HttpResponse BlogSystem::Call(Service service, const HttpRequest& request) const {
  return SendHttp("127.0.0.1", port(service), request, std::chrono::seconds(15));
}

std::string BlogSystem::Logs() const {
  std::string logs;
  for (const auto& process : processes_) {
    if (!process) continue;
    logs += "---- " + process->log_path() + "\n" + process->Log();
  }
  return logs;
}

}  // namespace blogtrace::tracing_test
