// ChildProcess: one real program started by a test (fork + execve), its output captured in a
// log file, stopped with SIGTERM and a bounded wait. Owns the process: the destructor kills
// (SIGKILL) and reaps it if it still runs, so a failing test leaves nothing behind.
// Thread safety: none; use from one thread.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace blogtrace::tracing_test {

// A started program.
class ChildProcess {
 public:
  // Starts `program` with `args` (argv[1..]) and exactly `env`; stdout and stderr go to
  // `log_path`. Throws std::runtime_error when fork fails; an exec failure shows as exit 127.
  ChildProcess(const std::string& program, const std::vector<std::string>& args,
               const std::map<std::string, std::string>& env, std::string log_path);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  const std::string& log_path() const { return log_path_; }

  // True while the process has not exited (reaps it when it has).
  bool Running();
  // Sends SIGTERM and waits up to `timeout` for the exit; returns the wait status, or nullopt
  // when it did not exit in time (then it is killed with SIGKILL).
  std::optional<int> Terminate(std::chrono::milliseconds timeout);
  // The wait status once the process has exited.
  std::optional<int> exit_status() const { return status_; }
  // The captured output so far (for failure messages).
  std::string Log() const;

 private:
  // Waits up to `timeout` for the exit (pidfd + poll; no sleeping); true when it exited.
  bool WaitExit(std::chrono::milliseconds timeout);

  pid_t pid_ = -1;
  int pidfd_ = -1;
  std::optional<int> status_;
  std::string log_path_;
};

// The current process environment as a map.
std::map<std::string, std::string> CurrentEnvironment();

// A port on 127.0.0.1 that was free a moment ago (bound to 0, read, released).
std::uint16_t FreePort();

}  // namespace blogtrace::tracing_test
