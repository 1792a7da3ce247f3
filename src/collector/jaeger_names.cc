#include "collector/jaeger_names.h"

namespace blogtrace::collector {
namespace {
constexpr std::string_view kKinds[] = {"", "internal", "server", "client", "producer", "consumer"};
}

std::string_view SpanKindName(int otlp_kind) noexcept {
  return otlp_kind >= 0 && otlp_kind < 6 ? kKinds[otlp_kind] : std::string_view();
}

int SpanKindFromName(std::string_view name) noexcept {
  for (int i = 1; i < 6; ++i) {
    if (kKinds[i] == name) return i;
  }
  return -1;
}

std::string_view StatusCodeName(int otlp_code) noexcept {
  switch (otlp_code) {
    case 1:
      return "OK";
    case 2:
      return "ERROR";
    default:
      return {};
  }
}

}  // namespace blogtrace::collector
