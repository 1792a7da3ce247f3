#include "collector/collector_main.h"

#include "collector/collector_server.h"
#include "common/log.h"

namespace blogtrace::collector {

int Run(const SystemConfig& config) {
  ProcessEnvironment env;
  auto options = LoadCollectorOptions(config, env);
  if (!options) {
    Logger::Bg().Error("invalid collector configuration", {{"error", options.error().message}});
    return 2;
  }
  auto server = CollectorServer::Start(*options, /*handle_signals=*/true);
  if (!server) {
    Logger::Bg().Error("collector could not start", {{"error", server.error().message}});
    return 1;
  }
  Logger::Bg().Info(
      "collector listening",
      {{"otlp", options->collector_addr.host + ":" + std::to_string((*server)->receiver_port())},
       {"query", options->query_addr.host + ":" + std::to_string((*server)->query_port())},
       {"database", options->store.path}});
  (*server)->Run();
  Logger::Bg().Info("collector stopped");
  return 0;
}

}  // namespace blogtrace::collector
