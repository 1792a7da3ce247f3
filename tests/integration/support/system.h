// Whole-system test harness: runs the REAL programs (`blogtrace serve <name>`, `blogtrace up`)
// as child processes on free loopback ports with a temporary DATA_DIR, and waits (bounded) for
// them to answer GET /healthz.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/config.h"

namespace blogtrace::testing {

// The path of the blogtrace executable under test (from CMake).
std::string BlogtraceBinary();

// A TCP port on 127.0.0.1 that was free a moment ago.
std::uint16_t FreePort();

// A fresh empty directory under $TMPDIR, removed by the destructor.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// One child process with its output in a log file. The destructor kills and reaps it.
class Process {
 public:
  Process(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
          const std::string& log_path);
  ~Process();
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  pid_t pid() const { return pid_; }
  // True until the process exited (and was reaped).
  bool Running();
  // Sends `signal`.
  void Signal(int signal);
  // Waits up to `timeout` for the exit; the wait status, or nullopt when still running.
  std::optional<int> WaitExit(std::chrono::milliseconds timeout);
  // SIGKILL and reap.
  void Kill();
  // The output so far.
  std::string Output() const;

 private:
  pid_t pid_ = -1;
  std::optional<int> status_;
  std::string log_path_;
};

// Polls GET /healthz at `address` until 200 or `timeout`.
bool WaitHealthy(const HostPort& address, std::chrono::milliseconds timeout);

// The four services, each `blogtrace serve <name>`, on free ports sharing one DATA_DIR; spans go
// to a dead endpoint (tracing on, exports fail quietly). UPSTREAM_TIMEOUT_MS is 1000.
class System {
 public:
  static constexpr const char* kNames[] = {"user", "authen", "author", "blog"};

  explicit System(std::map<std::string, std::string> extra_env = {});
  ~System();

  // Starts every service in order and waits for each to be healthy; false (with the logs
  // printed) when one does not come up.
  bool StartAll();
  // Starts (or restarts) one service and waits for /healthz.
  bool Start(const std::string& name);
  // SIGTERM, bounded wait, then SIGKILL.
  void Stop(const std::string& name);
  // SIGKILL right now.
  void Kill(const std::string& name);

  const HostPort& Address(const std::string& name) const { return addresses_.at(name); }
  const HostPort& user() const { return Address("user"); }
  const HostPort& authen() const { return Address("authen"); }
  const HostPort& author() const { return Address("author"); }
  const HostPort& blog() const { return Address("blog"); }
  const std::string& data_dir() const { return dir_.path(); }
  const std::map<std::string, std::string>& env() const { return env_; }

  // The generated secrets (read from DATA_DIR).
  std::string AdminKey() const;
  std::string InternalKey() const;

  // Creates a user through the API; its id ("" on failure).
  std::string CreateUser(const std::string& username, const std::string& password,
                         const std::string& permission);
  // Logs in through the API; the token ("" on failure).
  std::string Login(const std::string& username, const std::string& password);

 private:
  TempDir dir_;
  std::map<std::string, HostPort> addresses_;
  std::map<std::string, std::string> env_;
  std::map<std::string, std::unique_ptr<Process>> processes_;
};

}  // namespace blogtrace::testing
