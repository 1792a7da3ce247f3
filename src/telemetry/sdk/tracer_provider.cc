#include "telemetry/sdk/tracer_provider.h"

#include "telemetry/sdk/span_record.h"

namespace blogtrace::telemetry::sdk {
namespace {

// Used when no processor is configured: spans are recorded, then recycled.
class DiscardingProcessor final : public SpanProcessor {
 public:
  void OnEnd(SpanRecord* record) noexcept override { SpanRecord::Release(record); }
  bool ForceFlush(std::chrono::milliseconds) noexcept override { return true; }
  bool Shutdown(std::chrono::milliseconds) noexcept override { return true; }
};

}  // namespace

TracerProvider::TracerProvider(TracerProviderOptions options) : options_(std::move(options)) {
  if (!options_.processor) options_.processor = std::make_unique<DiscardingProcessor>();
  if (!options_.sampler)
    options_.sampler = std::make_shared<ParentBasedSampler>(std::make_shared<AlwaysOnSampler>());
  if (!options_.id_generator) {
    options_.id_generator =
        std::shared_ptr<IdGenerator>(&RandomIdGenerator::Instance(), [](IdGenerator*) {});
  }
  if (options_.clock == nullptr) options_.clock = &SystemSdkClock::Instance();
  owner_ = SpanRecord::Owner{&options_.limits, options_.clock, options_.processor.get()};
  random_ids_ = dynamic_cast<RandomIdGenerator*>(options_.id_generator.get());
  root_decision_ = options_.sampler->ConstantRootDecision();
  child_follows_parent_ = options_.sampler->ChildFollowsParentFlag();
}

TracerProvider::~TracerProvider() { Shutdown(std::chrono::seconds(5)); }

telemetry::Tracer& TracerProvider::GetTracer(std::string_view scope_name,
                                             std::string_view scope_version) noexcept {
  std::lock_guard lock(tracers_mu_);
  for (auto& t : tracers_) {
    if (t->scope().name == scope_name && t->scope().version == scope_version) return *t;
  }
  try {
    tracers_.push_back(std::make_unique<Tracer>(
        *this, InstrumentationScope{std::string(scope_name), std::string(scope_version)}));
  } catch (...) {
    static NoopTracer noop;  // out of memory: tracing degrades to no-op, never fails
    return noop;
  }
  return *tracers_.back();
}

bool TracerProvider::ForceFlush(std::chrono::milliseconds timeout) noexcept {
  return options_.processor->ForceFlush(timeout);
}

bool TracerProvider::Shutdown(std::chrono::milliseconds timeout) noexcept {
  if (shut_down_.exchange(true)) return true;
  return options_.processor->Shutdown(timeout);
}

Span Tracer::StartSpan(std::string_view name, const StartSpanOptions& options) noexcept {
  TracerProvider& p = provider_;
  const SpanContext* parent = nullptr;
  if (options.parent != nullptr && options.parent->span_context.IsValid())
    parent = &options.parent->span_context;

  TraceId trace_id;
  SpanId span_id;
  bool random;
  SamplingDecision decision;
  if (parent != nullptr) {
    trace_id = parent->trace_id();
    random = parent->flags().random();
    span_id = p.random_ids_ != nullptr ? p.random_ids_->GenerateSpanId()
                                       : p.options_.id_generator->GenerateSpanId();
    if (p.child_follows_parent_) {
      decision = parent->IsSampled() ? SamplingDecision::kRecordAndSample : SamplingDecision::kDrop;
    } else {
      decision = p.options_.sampler->ShouldSample(parent, trace_id, name, options.kind,
                                                  options.attributes);
    }
  } else {
    // An unsampled root still gets real ids: its context propagates (traceparent ...-00) and
    // downstream services join the same trace.
    if (p.random_ids_ != nullptr) {
      p.random_ids_->GenerateRootIds(trace_id, span_id);
      random = true;
    } else {
      trace_id = p.options_.id_generator->GenerateTraceId();
      random = p.options_.id_generator->TraceIdsAreRandom();
      span_id = p.options_.id_generator->GenerateSpanId();
    }
    decision = p.root_decision_ ? *p.root_decision_
                                : p.options_.sampler->ShouldSample(
                                      nullptr, trace_id, name, options.kind, options.attributes);
  }
  std::uint8_t flags = (decision == SamplingDecision::kRecordAndSample ? TraceFlags::kSampled : 0) |
                       (random ? TraceFlags::kRandom : 0);
  SpanContext context(trace_id, span_id, TraceFlags{flags}, /*is_remote=*/false,
                      parent != nullptr ? parent->trace_state() : TraceState());
  if (decision == SamplingDecision::kDrop || p.shut_down_.load(std::memory_order_relaxed))
    return Span(std::move(context), nullptr);

  SpanRecord* record = SpanRecord::Acquire();
  if (record == nullptr) return Span(std::move(context), nullptr);
  record->Reset(p.owner_);
  try {
    record->name.assign(name);
  } catch (...) {
  }
  record->context = context;
  if (parent != nullptr) {
    record->parent_span_id = parent->span_id();
    record->parent_is_remote = parent->is_remote();
  }
  record->kind = options.kind;
  record->start_unix_nanos =
      options.start_time ? ToUnixNanos(*options.start_time) : p.options_.clock->NowUnixNanos();
  record->resource = &p.options_.resource;
  record->scope = &scope_;
  for (const auto& kv : options.attributes) record->SetAttribute(kv.key, kv.value);
  return Span(std::move(context), record);
}

}  // namespace blogtrace::telemetry::sdk
