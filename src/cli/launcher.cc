#include "cli/launcher.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <memory>
#include <optional>
#include <vector>

#include "auth/key_pair.h"
#include "cli/child_process.h"
#include "cli/line_prefixer.h"
#include "cli/net_probe.h"
#include "cli/walkthrough.h"

namespace blogtrace::cli {
namespace {

using SteadyClock = std::chrono::steady_clock;

// Self-pipe: signal handlers write the signal number; the poll loop reads it.
int g_signal_pipe[2] = {-1, -1};

extern "C" void OnSignal(int signal) {
  int saved = errno;
  unsigned char byte = static_cast<unsigned char>(signal);
  [[maybe_unused]] auto n = ::write(g_signal_pipe[1], &byte, 1);
  errno = saved;
}

// Installs the handlers for the lifetime of the launcher and restores the old ones after.
class SignalScope {
 public:
  SignalScope() {
    if (::pipe2(g_signal_pipe, O_CLOEXEC | O_NONBLOCK) != 0) g_signal_pipe[0] = -1;
    struct sigaction sa {};
    sa.sa_handler = OnSignal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;
    ::sigaction(SIGINT, &sa, &old_[0]);
    ::sigaction(SIGTERM, &sa, &old_[1]);
    ::sigaction(SIGCHLD, &sa, &old_[2]);
    struct sigaction ignore {};
    ignore.sa_handler = SIG_IGN;
    ::sigaction(SIGPIPE, &ignore, &old_pipe_);
  }
  ~SignalScope() {
    ::sigaction(SIGINT, &old_[0], nullptr);
    ::sigaction(SIGTERM, &old_[1], nullptr);
    ::sigaction(SIGCHLD, &old_[2], nullptr);
    ::sigaction(SIGPIPE, &old_pipe_, nullptr);
    for (int& fd : g_signal_pipe) {
      if (fd >= 0) ::close(fd);
      fd = -1;
    }
  }
  SignalScope(const SignalScope&) = delete;
  SignalScope& operator=(const SignalScope&) = delete;

 private:
  struct sigaction old_[3]{};
  struct sigaction old_pipe_ {};
};

void WriteAll(int fd, std::string_view text) {
  while (!text.empty()) {
    ssize_t n = ::write(fd, text.data(), text.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    text.remove_prefix(static_cast<std::size_t>(n));
  }
}

std::string DescribeStatus(int status) {
  if (WIFEXITED(status)) return "exit code " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return "signal " + std::to_string(WTERMSIG(status));
  return "status " + std::to_string(status);
}

// One supervised child and its restart bookkeeping.
struct Managed {
  std::string name;
  std::vector<HostPort> health;  // addresses that must answer
  bool any_status_is_healthy = false;
  std::optional<ChildProcess> process;
  std::unique_ptr<LinePrefixer> prefixer;
  SteadyClock::time_point started_at{};
  std::deque<SteadyClock::time_point> deaths;
  std::chrono::milliseconds backoff{0};
  std::optional<SteadyClock::time_point> restart_at;
};

class Supervisor {
 public:
  Supervisor(const SystemConfig& config, const LauncherOptions& options)
      : config_(config), options_(options) {
    if (options.with_collector) {
      Add("collector", {config.collector_addr, config.query_addr}, true);
    }
    Add("user", {config.user_addr}, false);
    Add("authen", {config.authen_addr}, false);
    Add("author", {config.author_addr}, false);
    Add("blog", {config.blog_addr}, false);
  }

  int Run() {
    for (auto& child : children_) {
      if (!Start(child) || !AwaitHealthy(child)) {
        StopAll();
        return 1;
      }
      if (stop_requested_) {
        StopAll();
        return 0;
      }
    }
    running_ = true;
    Say(SystemSummary(config_));
    Say(CurlWalkthrough(config_));
    Say("Ctrl-C stops everything.\n");
    while (!stop_requested_ && !gave_up_) {
      Pump(NextWakeMs());
      RestartDue();
    }
    StopAll();
    return gave_up_ ? 1 : 0;
  }

 private:
  void Add(std::string name, std::vector<HostPort> health, bool any_status) {
    Managed m;
    m.name = name;
    m.health = std::move(health);
    m.any_status_is_healthy = any_status;
    m.prefixer = std::make_unique<LinePrefixer>(MakePrefix(name, options_.colour));
    m.backoff = options_.backoff_initial;
    children_.push_back(std::move(m));
  }

  void Say(std::string_view text) { WriteAll(STDOUT_FILENO, text); }
  void Shout(const std::string& text) {
    WriteAll(STDERR_FILENO, MakePrefix("up", options_.colour) + text + "\n");
  }

  bool Start(Managed& child) {
    auto spawned = ChildProcess::Spawn(options_.program, {"serve", child.name});
    if (!spawned) {
      Shout("cannot start " + child.name + ": " + spawned.error().message);
      return false;
    }
    child.process.emplace(std::move(spawned.value()));
    child.started_at = SteadyClock::now();
    child.restart_at.reset();
    return true;
  }

  bool Healthy(const Managed& child) {
    for (const auto& address : child.health) {
      auto status = ProbeHttp(address, "/healthz", std::chrono::milliseconds(500));
      if (!status || (!child.any_status_is_healthy && *status != 200)) return false;
    }
    return true;
  }

  bool AwaitHealthy(Managed& child) {
    const auto deadline = SteadyClock::now() + options_.health_timeout;
    while (true) {
      Pump(50);
      if (!child.process) {
        Shout(child.name + " exited while starting (" + last_exit_ + "); stopping everything");
        return false;
      }
      if (stop_requested_) return true;
      if (Healthy(child)) {
        Shout(child.name + " is up");
        return true;
      }
      if (SteadyClock::now() > deadline) {
        Shout(child.name + " did not answer GET /healthz within " +
              std::to_string(options_.health_timeout.count()) + " ms; stopping everything");
        return false;
      }
    }
  }

  int NextWakeMs() const {
    int wait = 500;
    auto now = SteadyClock::now();
    for (const auto& child : children_) {
      if (!child.restart_at) continue;
      auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(*child.restart_at - now).count();
      wait = std::min<int>(wait, static_cast<int>(std::max<long>(left, 0)));
    }
    return wait;
  }

  void RestartDue() {
    auto now = SteadyClock::now();
    for (auto& child : children_) {
      if (child.restart_at && *child.restart_at <= now && !stop_requested_ && !gave_up_) {
        Shout("restarting " + child.name);
        if (!Start(child)) {
          child.restart_at = now + child.backoff;
        }
      }
    }
  }

  // Reads output and signals for up to `timeout_ms`, and reaps exited children.
  void Pump(int timeout_ms) {
    std::vector<pollfd> fds;
    std::vector<Managed*> owners;
    if (g_signal_pipe[0] >= 0) {
      fds.push_back({g_signal_pipe[0], POLLIN, 0});
      owners.push_back(nullptr);
    }
    for (auto& child : children_) {
      if (child.process && child.process->output_fd() >= 0) {
        fds.push_back({child.process->output_fd(), POLLIN, 0});
        owners.push_back(&child);
      }
    }
    int ready = ::poll(fds.data(), fds.size(), timeout_ms);
    if (ready > 0) {
      for (std::size_t i = 0; i < fds.size(); ++i) {
        if (fds[i].revents == 0) continue;
        if (owners[i] == nullptr) {
          DrainSignals();
        } else {
          DrainOutput(*owners[i]);
        }
      }
    }
    Reap();
  }

  void DrainSignals() {
    unsigned char buffer[64];
    ssize_t n;
    while ((n = ::read(g_signal_pipe[0], buffer, sizeof buffer)) > 0) {
      for (ssize_t i = 0; i < n; ++i) {
        if ((buffer[i] == SIGINT || buffer[i] == SIGTERM) && !stop_requested_) {
          stop_requested_ = true;
          Shout(std::string(buffer[i] == SIGINT ? "SIGINT" : "SIGTERM") + ": stopping everything");
        }
      }
    }
  }

  void DrainOutput(Managed& child) {
    char buffer[8192];
    while (child.process && child.process->output_fd() >= 0) {
      ssize_t n = ::read(child.process->output_fd(), buffer, sizeof buffer);
      if (n > 0) {
        WriteAll(STDOUT_FILENO, child.prefixer->Feed(std::string_view(buffer, n)));
        continue;
      }
      if (n < 0 && (errno == EAGAIN || errno == EINTR)) return;
      WriteAll(STDOUT_FILENO, child.prefixer->Flush());
      child.process->CloseOutput();  // end of stream
      return;
    }
  }

  void Reap() {
    int status = 0;
    pid_t pid;
    while ((pid = ::waitpid(-1, &status, WNOHANG)) > 0) {
      for (auto& child : children_) {
        if (child.process && child.process->pid() == pid) {
          DrainOutput(child);
          child.process.reset();
          last_exit_ = DescribeStatus(status);
          OnExit(child);
        }
      }
    }
  }

  void OnExit(Managed& child) {
    if (stopping_ || stop_requested_) return;
    auto now = SteadyClock::now();
    Shout(child.name + " died (" + last_exit_ + ")");
    if (!running_) return;  // AwaitHealthy reports it
    if (now - child.started_at > options_.death_window) child.backoff = options_.backoff_initial;
    child.deaths.push_back(now);
    while (!child.deaths.empty() && now - child.deaths.front() > options_.death_window) {
      child.deaths.pop_front();
    }
    if (static_cast<int>(child.deaths.size()) >= options_.max_deaths) {
      Shout("giving up: " + child.name + " died " + std::to_string(child.deaths.size()) +
            " times within " + std::to_string(options_.death_window.count()) +
            " s; stopping everything");
      gave_up_ = true;
      return;
    }
    Shout("restarting " + child.name + " in " + std::to_string(child.backoff.count()) + " ms");
    child.restart_at = now + child.backoff;
    child.backoff = std::min(child.backoff * 2, options_.backoff_max);
  }

  // Stops children in reverse start order: SIGTERM, wait bounded, SIGKILL.
  void StopAll() {
    stopping_ = true;
    for (auto it = children_.rbegin(); it != children_.rend(); ++it) {
      Managed& child = *it;
      child.restart_at.reset();
      if (!child.process) continue;
      child.process->Signal(SIGTERM);
      const auto deadline = SteadyClock::now() + options_.stop_grace;
      while (child.process && SteadyClock::now() < deadline) Pump(50);
      if (child.process) {
        Shout(child.name + " did not stop within " + std::to_string(options_.stop_grace.count()) +
              " ms; killing it");
        child.process->Signal(SIGKILL);
        int status = 0;
        while (::waitpid(child.process->pid(), &status, 0) < 0 && errno == EINTR) {
        }
        DrainOutput(child);
        child.process.reset();
      } else {
        Shout(child.name + " stopped");
      }
    }
  }

  const SystemConfig& config_;
  const LauncherOptions& options_;
  std::vector<Managed> children_;
  std::string last_exit_;
  bool stop_requested_ = false;
  bool stopping_ = false;
  bool gave_up_ = false;
  bool running_ = false;
};

// Generates the secrets and the key pair before any child starts, so that all agree.
bool PrepareSecrets(const SystemConfig& config, bool colour) {
  auto shout = [&](const std::string& text) {
    WriteAll(STDERR_FILENO, MakePrefix("up", colour) + text + "\n");
  };
  if (!config.admin_key) {
    bool existed = std::filesystem::exists(config.data_dir + "/admin.key");
    auto key = LoadOrCreateSecret(config.data_dir, "admin.key");
    if (!key) {
      shout("admin key: " + key.error().message);
      return false;
    }
    if (!existed) {
      WriteAll(STDOUT_FILENO, "Generated the admin key (shown once; kept in " + config.data_dir +
                                  "/admin.key):\n  " + *key + "\n");
    }
  }
  if (!config.internal_key) {
    auto key = LoadOrCreateSecret(config.data_dir, "internal.key");
    if (!key) {
      shout("internal key: " + key.error().message);
      return false;
    }
  }
  auto keys = auth::LoadOrGenerateKeyPair(config);
  if (!keys) {
    shout("JWT keys: " + keys.error().message);
    return false;
  }
  return true;
}

}  // namespace

int RunUp(const SystemConfig& config, const LauncherOptions& options) {
  SignalScope signals;
  auto shout = [&](const std::string& text) {
    WriteAll(STDERR_FILENO, MakePrefix("up", options.colour) + text + "\n");
  };
  struct Named {
    const char* variable;
    const HostPort* address;
  };
  std::vector<Named> addresses = {{"USER_ADDR", &config.user_addr},
                                  {"AUTHEN_ADDR", &config.authen_addr},
                                  {"AUTHOR_ADDR", &config.author_addr},
                                  {"BLOG_ADDR", &config.blog_addr}};
  if (options.with_collector) {
    addresses.insert(addresses.begin(), {{"COLLECTOR_ADDR", &config.collector_addr},
                                         {"QUERY_ADDR", &config.query_addr}});
  }
  for (std::size_t i = 0; i < addresses.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (*addresses[i].address == *addresses[j].address) {
        shout(std::string("cannot start: ") + addresses[i].variable + " and " +
              addresses[j].variable + " are both " + addresses[i].address->ToString());
        return 1;
      }
    }
    if (auto free = CheckBindable(*addresses[i].address); !free) {
      shout(std::string("cannot start: ") + addresses[i].variable + " " +
            addresses[i].address->ToString() + ": " + free.error().message);
      return 1;
    }
  }
  if (!PrepareSecrets(config, options.colour)) return 1;

  Supervisor supervisor(config, options);
  return supervisor.Run();
}

}  // namespace blogtrace::cli
