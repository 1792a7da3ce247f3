#include <cstdio>
#include <mutex>

#include "telemetry/api/propagator.h"

namespace blogtrace::telemetry {

Context CompositePropagator::Extract(const TextMapCarrier& carrier, Context base) const noexcept {
  for (const auto& p : propagators_) base = p->Extract(carrier, std::move(base));
  return base;
}

void CompositePropagator::Inject(const Context& context, TextMapCarrier& carrier) const noexcept {
  for (const auto& p : propagators_) p->Inject(context, carrier);
}

std::unique_ptr<TextMapPropagator> MakePropagator(std::string_view otel_propagators) {
  auto trim = [](std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
  };
  std::string_view list = trim(otel_propagators);
  if (list.empty()) list = "tracecontext,baggage";
  std::vector<std::unique_ptr<TextMapPropagator>> parts;
  bool have_tc = false, have_baggage = false;
  while (true) {
    auto comma = list.find(',');
    std::string_view name = trim(list.substr(0, comma));
    if (name == "tracecontext" && !have_tc) {
      have_tc = true;
      parts.push_back(std::make_unique<W3CTraceContextPropagator>());
    } else if (name == "baggage" && !have_baggage) {
      have_baggage = true;
      parts.push_back(std::make_unique<W3CBaggagePropagator>());
    } else if (name != "none" && name != "tracecontext" && name != "baggage" && !name.empty()) {
      static std::once_flag once;
      std::call_once(once, [&] {
        std::fprintf(stderr, "telemetry: OTEL_PROPAGATORS: unsupported propagator '%.*s' ignored\n",
                     static_cast<int>(name.size()), name.data());
      });
    }
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return std::make_unique<CompositePropagator>(std::move(parts));
}

}  // namespace blogtrace::telemetry
