#include "cli/trace_commands.h"

#include <iostream>

namespace blogtrace::cli {

int ListTraces(const SystemConfig& config, const collector::TraceSearch& search) {
  return collector::ListTracesCommand(config.query_addr, search, std::cout);
}

int ShowTrace(const SystemConfig& config, const std::string& id) {
  return collector::ShowTraceCommand(config.query_addr, TraceIdFrom(id), std::cout);
}

std::string TraceIdFrom(std::string_view text) {
  std::string id(text);
  // traceresponse / traceparent: version "-" 32 hex "-" 16 hex "-" 2 hex.
  if (id.size() == 55 && id[2] == '-' && id[35] == '-' && id[52] == '-') id = id.substr(3, 32);
  for (char& c : id) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return id;
}

}  // namespace blogtrace::cli
