// How a fired fault shows in the trace where it acts (../shared/API.md "Debugging (additions)"):
// one event `fault.injected {rule}` per rule that fired, and the attribute `fault.injected=true`.
#pragma once

#include <string>
#include <string_view>

#include "faults/fault_injector.h"
#include "telemetry/api/span.h"

namespace blogtrace::faults {

// The event and attribute names.
inline constexpr std::string_view kFaultInjected = "fault.injected";
inline constexpr std::string_view kFaultRuleKey = "rule";

// Records `decision` on `span` (nothing when no rule fired). Never throws.
void RecordFault(telemetry::Span& span, const FaultDecision& decision) noexcept;

// The message of an injected error answer: "fault injected: <rules>".
std::string FaultMessage(const FaultDecision& decision);

}  // namespace blogtrace::faults
