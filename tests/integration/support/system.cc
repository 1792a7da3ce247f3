#include "system.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include "http_client.h"

extern char** environ;

namespace blogtrace::testing {

std::string BlogtraceBinary() {
  if (const char* env = std::getenv("BLOGTRACE_BINARY")) return env;
  return BLOGTRACE_BINARY;
}

std::uint16_t FreePort() {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "blogtrace-test-XXXXXX").string();
  path_ = ::mkdtemp(pattern.data()) ? pattern : "";
}

TempDir::~TempDir() {
  std::error_code ec;
  if (!path_.empty()) std::filesystem::remove_all(path_, ec);
}

Process::Process(const std::vector<std::string>& argv,
                 const std::map<std::string, std::string>& env, const std::string& log_path)
    : log_path_(log_path) {
  std::map<std::string, std::string> merged;
  for (char** e = environ; *e != nullptr; ++e) {
    std::string entry(*e);
    auto eq = entry.find('=');
    if (eq != std::string::npos) merged[entry.substr(0, eq)] = entry.substr(eq + 1);
  }
  for (const auto& [k, v] : env) merged[k] = v;
  std::vector<std::string> env_strings;
  for (const auto& [k, v] : merged) env_strings.push_back(k + "=" + v);
  std::vector<char*> envp;
  for (auto& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::vector<std::string> args = argv;
  std::vector<char*> argvp;
  for (auto& s : args) argvp.push_back(s.data());
  argvp.push_back(nullptr);

  pid_ = ::fork();
  if (pid_ == 0) {
    int fd = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    if (fd >= 0) {
      ::dup2(fd, STDOUT_FILENO);
      ::dup2(fd, STDERR_FILENO);
    }
    ::execve(argvp[0], argvp.data(), envp.data());
    ::_exit(127);
  }
}

Process::~Process() { Kill(); }

bool Process::Running() { return !WaitExit(std::chrono::milliseconds(0)).has_value(); }

void Process::Signal(int signal) {
  if (!status_ && pid_ > 0) ::kill(pid_, signal);
}

std::optional<int> Process::WaitExit(std::chrono::milliseconds timeout) {
  if (status_) return status_;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    int status = 0;
    pid_t r = ::waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
      status_ = status;
      return status_;
    }
    if (r < 0) {
      status_ = -1;
      return status_;
    }
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

void Process::Kill() {
  if (status_ || pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  WaitExit(std::chrono::seconds(10));
}

std::string Process::Output() const {
  std::ifstream in(log_path_);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

bool WaitHealthy(const HostPort& address, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    HttpCall call{"GET", "/healthz", {}, "", std::chrono::milliseconds(500)};
    if (Send(address, call).status == 200) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

System::System(std::map<std::string, std::string> extra_env) {
  for (const char* name : kNames) addresses_[name] = HostPort{"127.0.0.1", FreePort()};
  const std::uint16_t dead = FreePort();
  env_ = {
      {"USER_ADDR", user().ToString()},
      {"AUTHEN_ADDR", authen().ToString()},
      {"AUTHOR_ADDR", author().ToString()},
      {"BLOG_ADDR", blog().ToString()},
      {"COLLECTOR_ADDR", "127.0.0.1:" + std::to_string(dead)},
      {"QUERY_ADDR", "127.0.0.1:" + std::to_string(FreePort())},
      {"DATA_DIR", dir_.path()},
      {"UPSTREAM_TIMEOUT_MS", "1000"},
      {"OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:" + std::to_string(dead)},
      {"OTEL_BSP_SCHEDULE_DELAY", "200"},
      {"LOG_LEVEL", "warn"},
  };
  for (auto& [k, v] : extra_env) env_[k] = v;
}

System::~System() {
  for (auto it = std::rbegin(kNames); it != std::rend(kNames); ++it) Stop(*it);
}

bool System::StartAll() {
  for (const char* name : kNames) {
    if (!Start(name)) return false;
  }
  return true;
}

bool System::Start(const std::string& name) {
  Stop(name);
  auto process =
      std::make_unique<Process>(std::vector<std::string>{BlogtraceBinary(), "serve", name}, env_,
                                dir_.path() + "/" + name + ".log");
  bool healthy = WaitHealthy(Address(name), std::chrono::seconds(30));
  if (!healthy) {
    std::cerr << "service " << name << " did not become healthy; its output:\n"
              << process->Output() << "\n";
  }
  processes_[name] = std::move(process);
  return healthy;
}

void System::Stop(const std::string& name) {
  auto it = processes_.find(name);
  if (it == processes_.end()) return;
  it->second->Signal(SIGTERM);
  if (!it->second->WaitExit(std::chrono::seconds(10))) it->second->Kill();
  processes_.erase(it);
}

void System::Kill(const std::string& name) {
  auto it = processes_.find(name);
  if (it == processes_.end()) return;
  it->second->Kill();
  processes_.erase(it);
}

namespace {
std::string ReadFirstLine(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}
}  // namespace

std::string System::AdminKey() const { return ReadFirstLine(data_dir() + "/admin.key"); }
std::string System::InternalKey() const { return ReadFirstLine(data_dir() + "/internal.key"); }

std::string System::CreateUser(const std::string& username, const std::string& password,
                               const std::string& permission) {
  nlohmann::json body = {
      {"username", username}, {"password", password}, {"permission", permission}};
  auto reply = PostJson(user(), "/users", body.dump(), {{"X-Admin-Key", AdminKey()}});
  if (reply.status != 201) {
    std::cerr << "CreateUser(" << username << "): " << reply.status << " " << reply.body << " "
              << reply.transport_error << "\n";
    return "";
  }
  return reply.Json().value("id", "");
}

std::string System::Login(const std::string& username, const std::string& password) {
  nlohmann::json body = {{"username", username}, {"password", password}};
  auto reply = PostJson(authen(), "/login", body.dump());
  if (reply.status != 200) {
    std::cerr << "Login(" << username << "): " << reply.status << " " << reply.body << " "
              << reply.transport_error << "\n";
    return "";
  }
  return reply.Json().value("token", "");
}

}  // namespace blogtrace::testing
