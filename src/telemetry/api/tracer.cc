#include "telemetry/api/tracer.h"

namespace blogtrace::telemetry {

bool TracerProvider::ForceFlush(std::chrono::milliseconds) noexcept { return true; }
bool TracerProvider::Shutdown(std::chrono::milliseconds) noexcept { return true; }

Span NoopTracer::StartSpan(std::string_view, const StartSpanOptions& options) noexcept {
  if (options.parent != nullptr && options.parent->span_context.IsValid())
    return Span(options.parent->span_context, nullptr);
  return Span();
}

Tracer& NoopTracerProvider::GetTracer(std::string_view, std::string_view) noexcept {
  return tracer_;
}

Context ContextWithSpan(const Context& parent, const Span& span) {
  return Context{span.context(), parent.baggage};
}

}  // namespace blogtrace::telemetry
