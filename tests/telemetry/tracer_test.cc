// The SDK tracer: ids and flags, parent/child, sampling, span limits and dropped counts, status
// rules, resource from the environment. Spans go through a SimpleSpanProcessor into memory.
#include <gtest/gtest.h>

#include <map>
#include <thread>

#include "telemetry/api/propagator.h"
#include "telemetry/api/semconv.h"
#include "telemetry/sdk/in_memory_exporter.h"
#include "telemetry/sdk/simple_span_processor.h"
#include "telemetry/sdk/tracer_provider.h"

namespace blogtrace::telemetry::sdk {
namespace {

GetEnvFunction Env(std::map<std::string, std::string> vars) {
  return [vars](std::string_view name) -> std::optional<std::string> {
    auto it = vars.find(std::string(name));
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

class TracerTest : public ::testing::Test {
 protected:
  void Make(TracerProviderOptions options = {}) {
    options.processor =
        std::make_unique<SimpleSpanProcessor>(std::make_unique<InMemorySpanExporter>(store_));
    options.clock = &clock_;
    provider_ = std::make_unique<TracerProvider>(std::move(options));
  }
  telemetry::Tracer& tracer() { return provider_->GetTracer("test", "1.0"); }

  ManualSdkClock clock_;
  std::shared_ptr<InMemorySpanStore> store_ = std::make_shared<InMemorySpanStore>();
  std::unique_ptr<TracerProvider> provider_;
};

TEST_F(TracerTest, RootSpanHasNewIdsAndSampledRandomFlags) {
  Make();
  Span span = tracer().StartSpan("root");
  EXPECT_TRUE(span.IsRecording());
  EXPECT_TRUE(span.context().IsValid());
  EXPECT_EQ(span.context().flags().value, TraceFlags::kSampled | TraceFlags::kRandom);
  EXPECT_FALSE(span.context().is_remote());
  span.End();
  EXPECT_FALSE(span.IsRecording());
  auto spans = store_->Spans();
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].name, "root");
  EXPECT_FALSE(spans[0].parent_span_id.IsValid());
  EXPECT_EQ(spans[0].scope->name, "test");
  EXPECT_EQ(spans[0].scope->version, "1.0");
}

TEST_F(TracerTest, ChildJoinsParentTraceAndKeepsTracestateAndRandomFlag) {
  Make();
  auto parent_sc = ParseTraceparent("00-12345678901234567890123456789012-1234567890123456-03");
  Context parent{SpanContext(parent_sc->trace_id(), parent_sc->span_id(), parent_sc->flags(), true,
                             *TraceState::Parse("v=1")),
                 {}};
  Span child = tracer().StartSpan("child", {.kind = SpanKind::kServer, .parent = &parent});
  EXPECT_EQ(child.context().trace_id(), parent.span_context.trace_id());
  EXPECT_NE(child.context().span_id(), parent.span_context.span_id());
  EXPECT_EQ(child.context().trace_state().ToHeader(), "v=1");
  EXPECT_EQ(child.context().flags().value, 0x03);
  child.End();
  auto s = store_->Spans().at(0);
  EXPECT_EQ(s.parent_span_id, parent.span_context.span_id());
  EXPECT_TRUE(s.parent_is_remote);
  EXPECT_EQ(s.kind, SpanKind::kServer);
}

TEST_F(TracerTest, ParentWithoutRandomFlagGivesChildWithoutIt) {
  Make();
  auto sc = ParseTraceparent("00-12345678901234567890123456789012-1234567890123456-01");
  Context parent{*sc, {}};
  Span child = tracer().StartSpan("child", {.parent = &parent});
  EXPECT_EQ(child.context().flags().value, 0x01);
}

TEST_F(TracerTest, UnsampledParentGivesNonRecordingChildWithSameTrace) {
  Make();
  auto sc = ParseTraceparent("00-12345678901234567890123456789012-1234567890123456-00");
  Context parent{*sc, {}};
  Span child = tracer().StartSpan("child", {.parent = &parent});
  EXPECT_FALSE(child.IsRecording());
  EXPECT_TRUE(child.context().IsValid());
  EXPECT_EQ(child.context().trace_id(), sc->trace_id());
  EXPECT_FALSE(child.context().IsSampled());
  child.SetAttribute("x", 1);
  child.End();
  EXPECT_EQ(store_->size(), 0u);
}

TEST_F(TracerTest, AlwaysOffSamplerStillPropagatesIds) {
  TracerProviderOptions o;
  o.sampler = std::make_shared<AlwaysOffSampler>();
  Make(std::move(o));
  Span span = tracer().StartSpan("x");
  EXPECT_FALSE(span.IsRecording());
  EXPECT_TRUE(span.context().IsValid());
  EXPECT_EQ(span.context().flags().value, TraceFlags::kRandom);
}

// Unsampled roots take the tracer's fast path (default id generator, constant root decision): each
// still gets its own valid trace and span id and propagates as traceparent with sampled=0.
TEST_F(TracerTest, AlwaysOffRootsGetDistinctIdsAndPropagateUnsampled) {
  TracerProviderOptions o;
  o.sampler = std::make_shared<AlwaysOffSampler>();
  Make(std::move(o));
  W3CTraceContextPropagator propagator;
  Span a = tracer().StartSpan("a");
  Span b = tracer().StartSpan("b");
  EXPECT_NE(a.context().trace_id(), b.context().trace_id());
  EXPECT_NE(a.context().span_id(), b.context().span_id());
  struct MapCarrier final : TextMapCarrier {
    std::optional<std::string_view> Get(std::string_view key) const override {
      auto it = values.find(std::string(key));
      if (it == values.end()) return std::nullopt;
      return std::string_view(it->second);
    }
    void Set(std::string_view key, std::string_view value) override {
      values[std::string(key)] = std::string(value);
    }
    std::map<std::string, std::string> values;
  } carrier;
  propagator.Inject(ContextWithSpan({}, a), carrier);
  EXPECT_EQ(carrier.values["traceparent"],
            "00-" + a.context().trace_id().ToHex() + "-" + a.context().span_id().ToHex() + "-02");
  Context downstream = propagator.Extract(carrier);
  Span child = tracer().StartSpan("child", {.parent = &downstream});
  EXPECT_FALSE(child.IsRecording());
  EXPECT_EQ(child.context().trace_id(), a.context().trace_id());
  EXPECT_EQ(child.context().flags().value, TraceFlags::kRandom);
}

// A custom id generator (not the fast path) is still used for roots, in order: trace, then span.
TEST_F(TracerTest, CustomIdGeneratorIsUsedForRootsAndChildren) {
  TracerProviderOptions o;
  o.sampler = std::make_shared<AlwaysOffSampler>();
  o.id_generator = std::make_shared<SequentialIdGenerator>(7, 9);
  Make(std::move(o));
  Span root = tracer().StartSpan("root");
  EXPECT_EQ(root.context().trace_id().ToHex(), "00000000000000000000000000000007");
  EXPECT_EQ(root.context().span_id().ToHex(), "0000000000000009");
  EXPECT_EQ(root.context().flags().value, 0) << "sequential ids are not random";
  Context ctx = ContextWithSpan({}, root);
  Span child = tracer().StartSpan("child", {.parent = &ctx});
  EXPECT_EQ(child.context().span_id().ToHex(), "000000000000000a");
}

// A sampler answering RECORD_ONLY: the span records (IsRecording) but is never exported.
class RecordOnlySampler final : public Sampler {
 public:
  SamplingDecision ShouldSample(const SpanContext*, const TraceId&, std::string_view, SpanKind,
                                std::span<const KeyValue>) const noexcept override {
    return SamplingDecision::kRecordOnly;
  }
  std::string GetDescription() const override { return "RecordOnly"; }
};

TEST_F(TracerTest, RecordOnlySpansRecordButAreNotExported) {
  TracerProviderOptions o;
  o.sampler = std::make_shared<RecordOnlySampler>();
  Make(std::move(o));
  Span span = tracer().StartSpan("x");
  EXPECT_TRUE(span.IsRecording());
  EXPECT_FALSE(span.context().IsSampled());
  span.End();
  EXPECT_EQ(store_->size(), 0u);
}

TEST_F(TracerTest, RecordsAttributesEventsLinksStatusAndTimes) {
  Make();
  Span span = tracer().StartSpan("op");
  clock_.Advance(std::chrono::milliseconds(3));
  span.SetAttribute("b", true);
  span.SetAttribute("i", 42);
  span.SetAttribute("d", 2.5);
  span.SetAttribute("s", "text");
  span.SetAttribute("arr", std::vector<int>{1, 2, 3});
  span.SetAttribute("i", 43);  // replaces
  span.AddEvent("ev", {{"k", "v"}});
  span.RecordException("std::runtime_error", "boom");
  Span other = tracer().StartSpan("other");
  span.AddLink(other.context(), {{"why", "batch"}});
  span.SetStatus(StatusCode::kError, "failed");
  span.UpdateName("renamed");
  clock_.Advance(std::chrono::milliseconds(2));
  span.End();
  span.End();  // idempotent
  auto s = store_->Spans().at(0);
  EXPECT_EQ(s.name, "renamed");
  EXPECT_EQ(s.end_unix_nanos - s.start_unix_nanos, 5'000'000);
  ASSERT_EQ(s.attributes.size(), 5u);
  EXPECT_EQ(*s.FindAttribute("i"), OwnedValue(std::int64_t{43}));
  EXPECT_EQ(*s.FindAttribute("s"), OwnedValue(std::string("text")));
  EXPECT_EQ(*s.FindAttribute("arr"), OwnedValue(std::vector<std::int64_t>{1, 2, 3}));
  ASSERT_EQ(s.events.size(), 2u);
  EXPECT_EQ(s.events[1].name, "exception");
  EXPECT_EQ(s.events[1].attributes[0].key, "exception.type");
  EXPECT_EQ(s.events[0].time_unix_nanos, s.start_unix_nanos + 3'000'000);
  ASSERT_EQ(s.links.size(), 1u);
  EXPECT_EQ(s.links[0].context, other.context());
  EXPECT_EQ(s.status_code, StatusCode::kError);
  EXPECT_EQ(s.status_message, "failed");
}

TEST_F(TracerTest, StatusRules) {
  Make();
  Span a = tracer().StartSpan("a");
  a.SetStatus(StatusCode::kOk, "ignored description");
  a.SetStatus(StatusCode::kError, "too late");
  a.End();
  Span b = tracer().StartSpan("b");
  b.SetStatus(StatusCode::kError, "bad");
  b.SetStatus(StatusCode::kUnset);
  b.End();
  auto spans = store_->Spans();
  EXPECT_EQ(spans[0].status_code, StatusCode::kOk);
  EXPECT_EQ(spans[0].status_message, "");
  EXPECT_EQ(spans[1].status_code, StatusCode::kError);
  EXPECT_EQ(spans[1].status_message, "bad");
}

TEST_F(TracerTest, LimitsDropAndCount) {
  TracerProviderOptions o;
  o.limits = SpanLimits::FromEnv(Env({{"OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT", "2"},
                                      {"OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT", "4"},
                                      {"OTEL_SPAN_EVENT_COUNT_LIMIT", "1"},
                                      {"OTEL_SPAN_LINK_COUNT_LIMIT", "1"},
                                      {"OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT", "1"},
                                      {"OTEL_LINK_ATTRIBUTE_COUNT_LIMIT", "1"}}));
  Make(std::move(o));
  Span span = tracer().StartSpan("limited");
  span.SetAttribute("a", "abcdefgh");
  span.SetAttribute("b", std::vector<std::string>{"123456", "xy"});
  span.SetAttribute("c", 3);
  span.SetAttribute("d", 4);
  span.SetAttribute("a", "é long");  // replacing an existing key is not a drop
  span.AddEvent("e1", {{"x", 1}, {"y", 2}});
  span.AddEvent("e2");
  span.AddLink(span.context(), {{"x", 1}, {"y", 2}, {"z", 3}});
  span.AddLink(span.context());
  span.End();
  auto s = store_->Spans().at(0);
  EXPECT_EQ(s.attributes.size(), 2u);
  EXPECT_EQ(s.dropped_attributes_count, 2u);
  EXPECT_EQ(*s.FindAttribute("a"), OwnedValue(std::string("é l")));
  EXPECT_EQ(*s.FindAttribute("b"), OwnedValue(std::vector<std::string>{"1234", "xy"}));
  ASSERT_EQ(s.events.size(), 1u);
  EXPECT_EQ(s.dropped_events_count, 1u);
  EXPECT_EQ(s.events[0].dropped_attributes_count, 1u);
  ASSERT_EQ(s.links.size(), 1u);
  EXPECT_EQ(s.dropped_links_count, 1u);
  EXPECT_EQ(s.links[0].dropped_attributes_count, 2u);
}

TEST_F(TracerTest, LimitsDefaultTo128) {
  SpanLimits l = SpanLimits::FromEnv(Env({}));
  EXPECT_EQ(l.attribute_count, 128u);
  EXPECT_EQ(l.event_count, 128u);
  EXPECT_EQ(l.link_count, 128u);
  EXPECT_EQ(l.attribute_value_length, kNoLengthLimit);
  EXPECT_EQ(SpanLimits::FromEnv(Env({{"OTEL_ATTRIBUTE_COUNT_LIMIT", "7"}})).attribute_count, 7u);
  EXPECT_EQ(SpanLimits::FromEnv(Env({{"OTEL_SPAN_EVENT_COUNT_LIMIT", "x"}})).event_count, 128u);
}

TEST_F(TracerTest, PooledRecordsAreResetBetweenSpans) {
  Make();
  for (int i = 0; i < 200; ++i) {
    Span s = tracer().StartSpan("s" + std::to_string(i));
    if (i % 2 == 0) {
      s.SetAttribute("even", i);
      s.AddEvent("e");
      s.SetStatus(StatusCode::kError, "x");
    }
  }
  auto spans = store_->Spans();
  ASSERT_EQ(spans.size(), 200u);
  for (int i = 0; i < 200; ++i) {
    EXPECT_EQ(spans[static_cast<std::size_t>(i)].attributes.size(), i % 2 == 0 ? 1u : 0u);
    EXPECT_EQ(spans[static_cast<std::size_t>(i)].events.size(), i % 2 == 0 ? 1u : 0u);
    EXPECT_EQ(spans[static_cast<std::size_t>(i)].status_code,
              i % 2 == 0 ? StatusCode::kError : StatusCode::kUnset);
  }
}

TEST_F(TracerTest, SpansEndOnOtherThreads) {
  Make();
  std::vector<Span> spans;
  for (int i = 0; i < 100; ++i) spans.push_back(tracer().StartSpan("x"));
  std::thread t([&] {
    for (auto& s : spans) s.End();
  });
  t.join();
  EXPECT_EQ(store_->size(), 100u);
}

TEST_F(TracerTest, AfterShutdownSpansAreNotRecorded) {
  Make();
  EXPECT_TRUE(provider_->Shutdown(std::chrono::seconds(1)));
  EXPECT_TRUE(provider_->Shutdown(std::chrono::seconds(1)));
  Span s = tracer().StartSpan("late");
  EXPECT_FALSE(s.IsRecording());
}

TEST_F(TracerTest, SameScopeSameTracer) {
  Make();
  EXPECT_EQ(&provider_->GetTracer("a"), &provider_->GetTracer("a"));
  EXPECT_NE(&provider_->GetTracer("a"), &provider_->GetTracer("b"));
}

TEST(NoopTracer, CarriesParentContext) {
  NoopTracerProvider p;
  auto sc = ParseTraceparent("00-12345678901234567890123456789012-1234567890123456-01");
  Context parent{*sc, {}};
  Span s = p.GetTracer("x").StartSpan("y", {.parent = &parent});
  EXPECT_FALSE(s.IsRecording());
  EXPECT_EQ(s.context(), *sc);
  EXPECT_FALSE(p.GetTracer("x").StartSpan("root").context().IsValid());
  Context child = ContextWithSpan(Context{{}, Baggage().Set("k", "v")}, s);
  EXPECT_EQ(child.span_context, *sc);
  EXPECT_EQ(child.baggage.Get("k"), "v");
}

TEST(Resource, FromEnvRules) {
  Resource r = Resource::FromEnv(
      "blog",
      Env({{"OTEL_RESOURCE_ATTRIBUTES", "deployment.environment=prod,team=a%2Cb ,x=%E2%9C%93"}}));
  EXPECT_EQ(r.GetString("service.name"), "blog");
  EXPECT_EQ(r.GetString("deployment.environment"), "prod");
  EXPECT_EQ(r.GetString("team"), "a,b");
  EXPECT_EQ(r.GetString("x"), "\xE2\x9C\x93");
  EXPECT_EQ(r.GetString("telemetry.sdk.language"), "cpp");
  EXPECT_EQ(r.GetString("telemetry.sdk.name"), "blogtrace");
  EXPECT_FALSE(r.GetString("host.name").empty());
  EXPECT_FALSE(r.GetString("service.version").empty());
  bool has_pid = false;
  for (const auto& a : r.attributes()) has_pid |= a.key == "process.pid";
  EXPECT_TRUE(has_pid);

  EXPECT_EQ(Resource::FromEnv("blog", Env({{"OTEL_RESOURCE_ATTRIBUTES", "service.name=fromattrs"}}))
                .GetString("service.name"),
            "fromattrs");
  EXPECT_EQ(Resource::FromEnv("blog", Env({{"OTEL_RESOURCE_ATTRIBUTES", "service.name=fromattrs"},
                                           {"OTEL_SERVICE_NAME", "fromname"}}))
                .GetString("service.name"),
            "fromname");
  Resource bad = Resource::FromEnv("blog", Env({{"OTEL_RESOURCE_ATTRIBUTES", "a=1,b=%zz"}}));
  EXPECT_TRUE(bad.GetString("a").empty()) << "an undecodable value discards the variable";
}

}  // namespace
}  // namespace blogtrace::telemetry::sdk
