// Propagators: read and write a Context to request headers (or any text map).
// W3C Trace Context Level 2 (https://www.w3.org/TR/trace-context-2/) and W3C Baggage
// (https://www.w3.org/TR/baggage/). Nothing throws: malformed input yields the base context.
// Propagators are immutable after construction and thread-safe.
#pragma once

#include <array>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "telemetry/api/context.h"

namespace blogtrace::telemetry {

// Header access. Get() returns the value of `key` (header names are case-insensitive: the carrier
// handles that); when a header repeats, the carrier returns the values joined with ",".
class TextMapCarrier {
 public:
  virtual ~TextMapCarrier() = default;
  virtual std::optional<std::string_view> Get(std::string_view key) const = 0;
  virtual void Set(std::string_view key, std::string_view value) = 0;
};

class TextMapPropagator {
 public:
  virtual ~TextMapPropagator() = default;
  // `base` with whatever this propagator finds in the carrier; the span context, when found, is
  // marked remote.
  virtual Context Extract(const TextMapCarrier& carrier, Context base = {}) const noexcept = 0;
  // Writes this propagator's headers for `context` (nothing for an invalid span context).
  virtual void Inject(const Context& context, TextMapCarrier& carrier) const noexcept = 0;
};

// `traceparent` + `tracestate`. An invalid traceparent makes it ignore both headers; an invalid
// tracestate is dropped on its own. Outgoing flags keep the sampled and random bits.
class W3CTraceContextPropagator final : public TextMapPropagator {
 public:
  Context Extract(const TextMapCarrier& carrier, Context base = {}) const noexcept override;
  void Inject(const Context& context, TextMapCarrier& carrier) const noexcept override;
};

// `baggage`: percent-encoded values, properties kept verbatim, at most 180 members / 8192 bytes.
class W3CBaggagePropagator final : public TextMapPropagator {
 public:
  Context Extract(const TextMapCarrier& carrier, Context base = {}) const noexcept override;
  void Inject(const Context& context, TextMapCarrier& carrier) const noexcept override;
};

// Runs several propagators in order.
class CompositePropagator final : public TextMapPropagator {
 public:
  explicit CompositePropagator(std::vector<std::unique_ptr<TextMapPropagator>> propagators)
      : propagators_(std::move(propagators)) {}
  Context Extract(const TextMapCarrier& carrier, Context base = {}) const noexcept override;
  void Inject(const Context& context, TextMapCarrier& carrier) const noexcept override;

 private:
  std::vector<std::unique_ptr<TextMapPropagator>> propagators_;
};

// From an OTEL_PROPAGATORS value: comma-separated `tracecontext`, `baggage`, `none`; empty means
// the default "tracecontext,baggage". Unknown names are skipped (reported once on stderr).
std::unique_ptr<TextMapPropagator> MakePropagator(std::string_view otel_propagators);

// Parses one traceparent value (OWS around it allowed); nullopt when invalid.
std::optional<SpanContext> ParseTraceparent(std::string_view value) noexcept;
// "00-<trace-id>-<span-id>-<flags>" for `context` (flags keep sampled and random bits).
std::string FormatTraceparent(const SpanContext& context);
// The Level 2 `traceresponse` value: same format as traceparent.
std::string FormatTraceResponse(const SpanContext& context);
// Room for one traceparent / traceresponse value (55 characters, version 00).
using TraceparentBuffer = std::array<char, 55>;
// The same value written into `out`, without allocating; the view points into `out`.
std::string_view FormatTraceparent(const SpanContext& context, TraceparentBuffer& out) noexcept;

// Baggage header codec (exposed for tests): decoding skips malformed members.
Baggage ParseBaggage(std::string_view header);
std::string FormatBaggage(const Baggage& baggage);

}  // namespace blogtrace::telemetry
