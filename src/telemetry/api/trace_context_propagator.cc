// W3C Trace Context Level 2: https://www.w3.org/TR/trace-context-2/#traceparent-header
#include <cstring>

#include "telemetry/api/propagator.h"

namespace blogtrace::telemetry {
namespace {

constexpr std::size_t kTraceparentSize = 55;  // 00-<32>-<16>-<2>
constexpr std::uint8_t kKnownFlags = TraceFlags::kSampled | TraceFlags::kRandom;

std::string_view TrimOws(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Writes the 55-character traceparent of `context` to `out`.
void WriteTraceparent(const SpanContext& context, char* out) noexcept {
  out[0] = '0';
  out[1] = '0';
  out[2] = '-';
  context.trace_id().ToHex(out + 3);
  out[35] = '-';
  context.span_id().ToHex(out + 36);
  out[52] = '-';
  std::uint8_t flags = context.flags().value & kKnownFlags;
  internal::BytesToHex(&flags, 1, out + 53);
}

}  // namespace

std::optional<SpanContext> ParseTraceparent(std::string_view value) noexcept {
  value = TrimOws(value);
  if (value.size() < kTraceparentSize) return std::nullopt;
  std::uint8_t version = 0;
  if (!internal::HexToBytes(value.substr(0, 2), &version, 1, true) || version == 0xff)
    return std::nullopt;
  // Version 00 is exactly 55 characters; a later version may append "-<more fields>".
  if (version == 0 ? value.size() != kTraceparentSize
                   : value.size() > kTraceparentSize && value[kTraceparentSize] != '-')
    return std::nullopt;
  if (value[2] != '-' || value[35] != '-' || value[52] != '-') return std::nullopt;
  std::array<std::uint8_t, 16> trace{};
  std::array<std::uint8_t, 8> span{};
  std::uint8_t flags = 0;
  if (!internal::HexToBytes(value.substr(3, 32), trace.data(), 16, true) ||
      !internal::HexToBytes(value.substr(36, 16), span.data(), 8, true) ||
      !internal::HexToBytes(value.substr(53, 2), &flags, 1, true))
    return std::nullopt;
  SpanContext context(TraceId(trace), SpanId(span), TraceFlags{flags}, /*is_remote=*/true);
  if (!context.IsValid()) return std::nullopt;
  return context;
}

std::string FormatTraceparent(const SpanContext& context) {
  std::string out(kTraceparentSize, '0');
  WriteTraceparent(context, out.data());
  return out;
}

std::string FormatTraceResponse(const SpanContext& context) { return FormatTraceparent(context); }

std::string_view FormatTraceparent(const SpanContext& context, TraceparentBuffer& out) noexcept {
  static_assert(std::tuple_size_v<TraceparentBuffer> == kTraceparentSize);
  WriteTraceparent(context, out.data());
  return std::string_view(out.data(), out.size());
}

Context W3CTraceContextPropagator::Extract(const TextMapCarrier& carrier,
                                           Context base) const noexcept {
  try {
    auto traceparent = carrier.Get("traceparent");
    if (!traceparent) return base;
    auto parsed = ParseTraceparent(*traceparent);
    if (!parsed) return base;
    TraceState trace_state;
    if (auto header = carrier.Get("tracestate")) {
      if (auto ts = TraceState::Parse(*header)) trace_state = std::move(*ts);
    }
    base.span_context = SpanContext(parsed->trace_id(), parsed->span_id(), parsed->flags(),
                                    /*is_remote=*/true, std::move(trace_state));
    return base;
  } catch (...) {
    return base;
  }
}

void W3CTraceContextPropagator::Inject(const Context& context,
                                       TextMapCarrier& carrier) const noexcept {
  const SpanContext& sc = context.span_context;
  if (!sc.IsValid()) return;
  try {
    char buf[kTraceparentSize];
    WriteTraceparent(sc, buf);
    carrier.Set("traceparent", std::string_view(buf, kTraceparentSize));
    if (!sc.trace_state().empty()) carrier.Set("tracestate", sc.trace_state().ToHeader());
  } catch (...) {
  }
}

}  // namespace blogtrace::telemetry
