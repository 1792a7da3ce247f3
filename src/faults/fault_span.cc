#include "faults/fault_span.h"

namespace blogtrace::faults {

void RecordFault(telemetry::Span& span, const FaultDecision& decision) noexcept {
  if (!decision.fired()) return;
  span.SetAttribute(kFaultInjected, true);
  for (const std::string& rule : decision.rules) {
    span.AddEvent(kFaultInjected, {{kFaultRuleKey, std::string_view(rule)}});
  }
}

std::string FaultMessage(const FaultDecision& decision) {
  std::string message = "fault injected: ";
  for (std::size_t i = 0; i < decision.rules.size(); ++i) {
    if (i > 0) message += "; ";
    message += decision.rules[i];
  }
  return message;
}

}  // namespace blogtrace::faults
