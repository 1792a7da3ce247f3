// SpanContext: the propagated identity of a span (trace id, span id, flags, tracestate).
// An immutable value; default-constructed is invalid. Thread-safe as a value.
#pragma once

#include <utility>

#include "telemetry/api/ids.h"
#include "telemetry/api/trace_state.h"

namespace blogtrace::telemetry {

class SpanContext {
 public:
  SpanContext() noexcept = default;
  SpanContext(TraceId trace_id, SpanId span_id, TraceFlags flags, bool is_remote,
              TraceState trace_state = {}) noexcept
      : trace_id_(trace_id),
        span_id_(span_id),
        flags_(flags),
        is_remote_(is_remote),
        trace_state_(std::move(trace_state)) {}

  const TraceId& trace_id() const noexcept { return trace_id_; }
  const SpanId& span_id() const noexcept { return span_id_; }
  TraceFlags flags() const noexcept { return flags_; }
  const TraceState& trace_state() const noexcept { return trace_state_; }
  // True when extracted from a carrier (the span lives in another process).
  bool is_remote() const noexcept { return is_remote_; }
  // Both ids are non-zero.
  bool IsValid() const noexcept { return trace_id_.IsValid() && span_id_.IsValid(); }
  bool IsSampled() const noexcept { return flags_.sampled(); }

  friend bool operator==(const SpanContext& a, const SpanContext& b) noexcept {
    return a.trace_id_ == b.trace_id_ && a.span_id_ == b.span_id_ && a.flags_ == b.flags_ &&
           a.is_remote_ == b.is_remote_ && a.trace_state_ == b.trace_state_;
  }

 private:
  TraceId trace_id_;
  SpanId span_id_;
  TraceFlags flags_;
  bool is_remote_ = false;
  TraceState trace_state_;
};

}  // namespace blogtrace::telemetry
