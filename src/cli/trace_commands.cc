#include "cli/trace_commands.h"

#include <iostream>

namespace blogtrace::cli {

int ListTraces(const SystemConfig&, const TraceQueryOptions&) {
  std::cerr << "blogtrace traces: the collector's terminal views are not in this build\n";
  return 1;
}

int ShowTrace(const SystemConfig&, const std::string&) {
  std::cerr << "blogtrace trace: the collector's terminal views are not in this build\n";
  return 1;
}

}  // namespace blogtrace::cli
