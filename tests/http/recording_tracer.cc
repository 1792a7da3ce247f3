#include "recording_tracer.h"

#include <gtest/gtest.h>

namespace blogtrace::http::testing {

namespace {

class Backend final : public telemetry::SpanBackend {
 public:
  Backend(RecordingTracer* tracer, RecordedSpan span) : tracer_(tracer), span_(std::move(span)) {}
  void SetAttribute(std::string_view key,
                    const telemetry::AttributeValue& value) noexcept override {
    span_.attributes[std::string(key)] = AttributeText(value);
  }
  void AddEvent(std::string_view name, std::span<const telemetry::KeyValue> attributes,
                std::optional<std::chrono::system_clock::time_point>) noexcept override {
    std::map<std::string, std::string> attrs;
    for (const auto& kv : attributes) attrs[std::string(kv.key)] = AttributeText(kv.value);
    span_.events.emplace_back(std::string(name), std::move(attrs));
  }
  void AddLink(const telemetry::SpanContext&,
               std::span<const telemetry::KeyValue>) noexcept override {}
  void SetStatus(telemetry::StatusCode code, std::string_view) noexcept override {
    span_.status = code;
  }
  void UpdateName(std::string_view name) noexcept override { span_.name = name; }
  void End(std::optional<std::chrono::system_clock::time_point>) noexcept override {
    tracer_->Finish(std::move(span_));
    delete this;
  }

 private:
  RecordingTracer* tracer_;
  RecordedSpan span_;
};

}  // namespace

std::string AttributeText(const telemetry::AttributeValue& value) {
  return std::visit(
      [](const auto& v) -> std::string {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, bool>) {
          return v ? "true" : "false";
        } else if constexpr (std::is_same_v<T, std::int64_t> || std::is_same_v<T, double>) {
          return std::to_string(v);
        } else if constexpr (std::is_same_v<T, std::string_view>) {
          return std::string(v);
        } else {
          return "[...]";
        }
      },
      value.variant());
}

telemetry::Span RecordingTracer::StartSpan(std::string_view name,
                                           const telemetry::StartSpanOptions& options) noexcept {
  RecordedSpan span;
  span.name = name;
  span.kind = options.kind;
  std::array<std::uint8_t, 16> trace{};
  std::array<std::uint8_t, 8> id{};
  telemetry::TraceFlags flags{telemetry::TraceFlags::kSampled | telemetry::TraceFlags::kRandom};
  {
    std::lock_guard lock(mu_);
    for (auto& b : trace) b = static_cast<std::uint8_t>(random_() | 1);
    for (auto& b : id) b = static_cast<std::uint8_t>(random_() | 1);
  }
  telemetry::TraceId trace_id(trace);
  telemetry::TraceState state;
  if (options.parent != nullptr && options.parent->span_context.IsValid()) {
    span.parent = options.parent->span_context;
    trace_id = span.parent.trace_id();
    flags = span.parent.flags();
    state = span.parent.trace_state();
  }
  span.context = telemetry::SpanContext(trace_id, telemetry::SpanId(id), flags, false, state);
  for (const auto& kv : options.attributes) {
    span.attributes[std::string(kv.key)] = AttributeText(kv.value);
  }
  telemetry::SpanContext context = span.context;
  return telemetry::Span(context, new Backend(this, std::move(span)));
}

void RecordingTracer::Finish(RecordedSpan span) {
  {
    std::lock_guard lock(mu_);
    spans_.push_back(std::move(span));
  }
  cv_.notify_all();
}

std::vector<RecordedSpan> RecordingTracer::spans() const {
  std::lock_guard lock(mu_);
  return spans_;
}

bool RecordingTracer::WaitForSpans(std::size_t n, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mu_);
  return cv_.wait_for(lock, timeout, [&] { return spans_.size() >= n; });
}

RecordedSpan RecordingTracer::Only(telemetry::SpanKind kind) const {
  for (const RecordedSpan& s : spans()) {
    if (s.kind == kind) return s;
  }
  ADD_FAILURE() << "no span of the requested kind was recorded";
  return {};
}

}  // namespace blogtrace::http::testing
