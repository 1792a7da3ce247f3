// tracecontext-test-service --listen 127.0.0.1:PORT
// The service side of the W3C Trace Context validation suite; stops on SIGINT/SIGTERM.
#include <csignal>
#include <cstdio>
#include <cstring>
#include <exception>
#include <string>

#include "telemetry/tracecontext/test_service.h"

int main(int argc, char** argv) {
  std::string listen = "127.0.0.1:5000";
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--listen" && i + 1 < argc) {
      listen = argv[++i];
    } else if (arg.rfind("--listen=", 0) == 0) {
      listen = arg.substr(9);
    } else {
      std::fprintf(stderr, "usage: %s --listen HOST:PORT\n", argv[0]);
      return 2;
    }
  }
  auto colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    std::fprintf(stderr, "tracecontext-test-service: --listen wants HOST:PORT, got '%s'\n",
                 listen.c_str());
    return 2;
  }
  std::string host = listen.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  int port = std::atoi(listen.c_str() + colon + 1);
  if (port < 0 || port > 65535) {
    std::fprintf(stderr, "tracecontext-test-service: bad port in '%s'\n", listen.c_str());
    return 2;
  }
  // Block the stop signals before any thread starts, then wait for one.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  try {
    blogtrace::telemetry::tracecontext::TestService service(host, static_cast<std::uint16_t>(port));
    service.Start();
    std::printf("tracecontext-test-service listening on %s:%u (POST /test)\n", host.c_str(),
                service.port());
    std::fflush(stdout);
    int sig = 0;
    sigwait(&signals, &sig);
    service.Stop();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "tracecontext-test-service: cannot listen on %s: %s\n", listen.c_str(),
                 e.what());
    return 1;
  }
  return 0;
}
