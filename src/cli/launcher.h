// The launcher behind `blogtrace up`: starts the collector, then user → authen → author → blog,
// each a separate process (`<self> serve <name>`) started only once the one before answers
// GET /healthz; prefixes their log lines with their names; restarts what dies (with backoff,
// giving up loudly when a process dies too often); stops everything in reverse order on SIGINT
// or SIGTERM, the collector last so spans are flushed.
//
// Thread safety: RunUp owns the process's signal handlers for SIGINT, SIGTERM and SIGCHLD while
// it runs; call it once, from the main thread.
#pragma once

#include <chrono>
#include <string>

#include "common/config.h"

namespace blogtrace::cli {

// Tunables of the supervision (defaults are what `blogtrace up` uses).
struct LauncherOptions {
  // The program to run as `<program> serve <name>` (this executable).
  std::string program = "/proc/self/exe";
  // Whether to start the embedded collector first.
  bool with_collector = true;
  // How long a child may take to answer GET /healthz at start.
  std::chrono::milliseconds health_timeout{30'000};
  // How long a child may take to exit after SIGTERM before it gets SIGKILL.
  std::chrono::milliseconds stop_grace{10'000};
  // Restart backoff: the first delay, doubled after each death up to the maximum.
  std::chrono::milliseconds backoff_initial{500};
  std::chrono::milliseconds backoff_max{10'000};
  // Give up when a process dies this many times within `death_window`.
  int max_deaths = 5;
  std::chrono::seconds death_window{60};
  // Colour the name prefixes (default: when stdout is a terminal).
  bool colour = false;
};

// Runs the whole system in the foreground. Returns 0 after a requested stop, 1 when a port was
// taken, a child could not start, or a child died too often (the reason printed on stderr).
int RunUp(const SystemConfig& config, const LauncherOptions& options);

}  // namespace blogtrace::cli
