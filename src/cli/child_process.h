// ChildProcess: one program the launcher started, with its combined stdout+stderr on a pipe the
// launcher reads. The child runs in its own process group (a terminal's Ctrl-C reaches only the
// launcher, which then stops children in order) and gets SIGTERM should the launcher die.
//
// Thread safety: use from one thread. The destructor closes the pipe but does not kill or reap
// the child: the launcher does that explicitly, in order.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "common/result.h"

namespace blogtrace::cli {

class ChildProcess {
 public:
  // Starts `program` with `args` (argv[1..]) and the launcher's environment. Error when fork,
  // pipe or exec fails (exec failure is reported by the child over a close-on-exec pipe).
  static Result<ChildProcess> Spawn(const std::string& program,
                                    const std::vector<std::string>& args);

  ChildProcess(ChildProcess&& other) noexcept;
  ChildProcess& operator=(ChildProcess&& other) noexcept;
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  ~ChildProcess();

  pid_t pid() const noexcept { return pid_; }
  // The read end of the child's output (non-blocking), or -1 once closed.
  int output_fd() const noexcept { return output_fd_; }
  // Closes the read end (after end of stream).
  void CloseOutput() noexcept;
  // Sends `signal` to the child's process group (the child and anything it started).
  void Signal(int signal) const noexcept;

 private:
  ChildProcess(pid_t pid, int output_fd) : pid_(pid), output_fd_(output_fd) {}
  pid_t pid_ = -1;
  int output_fd_ = -1;
};

}  // namespace blogtrace::cli
