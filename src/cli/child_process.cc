#include "cli/child_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace blogtrace::cli {

Result<ChildProcess> ChildProcess::Spawn(const std::string& program,
                                         const std::vector<std::string>& args) {
  int output[2];
  if (::pipe2(output, O_CLOEXEC) != 0)
    return Error::Internal("pipe: " + std::string(strerror(errno)));
  int exec_status[2];
  if (::pipe2(exec_status, O_CLOEXEC) != 0) {
    ::close(output[0]);
    ::close(output[1]);
    return Error::Internal("pipe: " + std::string(strerror(errno)));
  }
  // argv built before fork: the child may only call async-signal-safe functions.
  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(program.c_str()));
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  const pid_t parent = ::getpid();

  pid_t pid = ::fork();
  if (pid < 0) {
    for (int fd : {output[0], output[1], exec_status[0], exec_status[1]}) ::close(fd);
    return Error::Internal("fork: " + std::string(strerror(errno)));
  }
  if (pid == 0) {
    ::setpgid(0, 0);
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (::getppid() != parent) ::_exit(127);  // the launcher died before prctl took effect
    // Signals the launcher handles must reach the child with their default action.
    struct sigaction dfl {};
    dfl.sa_handler = SIG_DFL;
    for (int s : {SIGINT, SIGTERM, SIGCHLD, SIGPIPE, SIGHUP}) ::sigaction(s, &dfl, nullptr);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    ::dup2(output[1], STDOUT_FILENO);
    ::dup2(output[1], STDERR_FILENO);
    int devnull = ::open("/dev/null", O_RDONLY);
    if (devnull >= 0) ::dup2(devnull, STDIN_FILENO);
    ::execv(program.c_str(), argv.data());
    int err = errno;
    [[maybe_unused]] auto n = ::write(exec_status[1], &err, sizeof err);
    ::_exit(127);
  }
  ::setpgid(pid, pid);  // also from the parent, so Signal() works even before the child ran
  ::close(output[1]);
  ::close(exec_status[1]);
  int err = 0;
  ssize_t n;
  do {
    n = ::read(exec_status[0], &err, sizeof err);
  } while (n < 0 && errno == EINTR);
  ::close(exec_status[0]);
  if (n == static_cast<ssize_t>(sizeof err)) {
    ::close(output[0]);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return Error::Internal("cannot run " + program + ": " + strerror(err));
  }
  ::fcntl(output[0], F_SETFL, ::fcntl(output[0], F_GETFL) | O_NONBLOCK);
  return ChildProcess(pid, output[0]);
}

ChildProcess::ChildProcess(ChildProcess&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)), output_fd_(std::exchange(other.output_fd_, -1)) {}

ChildProcess& ChildProcess::operator=(ChildProcess&& other) noexcept {
  if (this != &other) {
    CloseOutput();
    pid_ = std::exchange(other.pid_, -1);
    output_fd_ = std::exchange(other.output_fd_, -1);
  }
  return *this;
}

ChildProcess::~ChildProcess() { CloseOutput(); }

void ChildProcess::CloseOutput() noexcept {
  if (output_fd_ >= 0) ::close(std::exchange(output_fd_, -1));
}

void ChildProcess::Signal(int signal) const noexcept {
  if (pid_ > 0) ::kill(-pid_, signal);
}

}  // namespace blogtrace::cli
