// Round trip: spans encoded by our hand-written protobuf encoder, decoded by libprotobuf
// (generated OTLP classes), compared field by field.
#include <gtest/gtest.h>

#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"
#include "telemetry/api/propagator.h"
#include "telemetry/otlp/proto_writer.h"
#include "telemetry/otlp/span_encoder.h"
#include "telemetry/sdk/in_memory_exporter.h"
#include "telemetry/sdk/simple_span_processor.h"
#include "telemetry/sdk/tracer_provider.h"

namespace blogtrace::telemetry::otlp {
namespace {

namespace pb = opentelemetry::proto;
using sdk::SpanData;

std::string Raw(const auto& id) {
  return std::string(reinterpret_cast<const char*>(id.bytes().data()), id.bytes().size());
}

class OtlpEncoderTest : public ::testing::Test {
 protected:
  OtlpEncoderTest() {
    sdk::TracerProviderOptions o;
    o.resource = sdk::Resource({{"service.name", std::string("blog")}, {"pid", std::int64_t{7}}});
    o.processor = std::make_unique<sdk::SimpleSpanProcessor>(
        std::make_unique<sdk::InMemorySpanExporter>(store_));
    o.clock = &clock_;
    provider_ = std::make_unique<sdk::TracerProvider>(std::move(o));
  }
  pb::collector::trace::v1::ExportTraceServiceRequest RoundTrip() {
    spans_ = store_->Spans();
    std::vector<const SpanData*> ptrs;
    for (const auto& s : spans_) ptrs.push_back(&s);
    std::string bytes;
    EncodeExportRequest(ptrs, bytes);
    pb::collector::trace::v1::ExportTraceServiceRequest req;
    EXPECT_TRUE(req.ParseFromString(bytes));
    return req;
  }

  sdk::ManualSdkClock clock_;
  std::shared_ptr<sdk::InMemorySpanStore> store_ = std::make_shared<sdk::InMemorySpanStore>();
  std::unique_ptr<sdk::TracerProvider> provider_;
  std::vector<SpanData> spans_;
};

TEST_F(OtlpEncoderTest, EveryFieldSurvivesLibprotobufDecoding) {
  auto remote = ParseTraceparent("00-12345678901234567890123456789012-1234567890123456-03");
  Context parent{SpanContext(remote->trace_id(), remote->span_id(), remote->flags(), true,
                             *TraceState::Parse("vendor=x,t@sys=y")),
                 {}};
  Span span = provider_->GetTracer("scope.a", "2.0")
                  .StartSpan("GET /blogs/{id}", {.kind = SpanKind::kServer, .parent = &parent});
  span.SetAttribute("str", "value");
  span.SetAttribute("bool", false);
  span.SetAttribute("int", -42);
  span.SetAttribute("dbl", 0.5);
  span.SetAttribute("strs", std::vector<std::string>{"a", "", "c"});
  span.SetAttribute("ints", std::vector<std::int64_t>{1, -2, 300000});
  span.SetAttribute("dbls", std::vector<double>{1.5, -0.25});
  span.SetAttribute("bools", std::vector<bool>{true, false});
  const std::uint8_t raw[] = {0, 1, 2, 255};
  span.SetAttribute("bytes", telemetry::Bytes{raw});
  span.SetAttribute("long", std::string(300, 'x'));  // length needs a 2-byte varint
  clock_.Advance(std::chrono::microseconds(1500));
  span.AddEvent("retry", {{"attempt", 2}});
  Span linked = provider_->GetTracer("scope.a", "2.0").StartSpan("other");
  span.AddLink(linked.context(), {{"kind", "follows"}});
  span.AddLink(parent.span_context);
  span.SetStatus(StatusCode::kError, "boom");
  clock_.Advance(std::chrono::microseconds(500));
  span.End();
  linked.End();

  auto req = RoundTrip();
  ASSERT_EQ(req.resource_spans_size(), 1);
  const auto& rs = req.resource_spans(0);
  ASSERT_EQ(rs.resource().attributes_size(), 2);
  EXPECT_EQ(rs.resource().attributes(0).key(), "service.name");
  EXPECT_EQ(rs.resource().attributes(0).value().string_value(), "blog");
  EXPECT_EQ(rs.resource().attributes(1).value().int_value(), 7);
  ASSERT_EQ(rs.scope_spans_size(), 1);
  EXPECT_EQ(rs.scope_spans(0).scope().name(), "scope.a");
  EXPECT_EQ(rs.scope_spans(0).scope().version(), "2.0");
  ASSERT_EQ(rs.scope_spans(0).spans_size(), 2);
  const auto& s = rs.scope_spans(0).spans(0);
  const SpanData& d = spans_[0];
  EXPECT_EQ(s.trace_id(), Raw(d.context.trace_id()));
  EXPECT_EQ(s.span_id(), Raw(d.context.span_id()));
  EXPECT_EQ(s.parent_span_id(), Raw(remote->span_id()));
  EXPECT_EQ(s.trace_state(), "vendor=x,t@sys=y");
  EXPECT_EQ(s.name(), "GET /blogs/{id}");
  EXPECT_EQ(s.kind(), pb::trace::v1::Span::SPAN_KIND_SERVER);
  EXPECT_EQ(s.start_time_unix_nano(), static_cast<std::uint64_t>(d.start_unix_nanos));
  EXPECT_EQ(s.end_time_unix_nano() - s.start_time_unix_nano(), 2'000'000u);
  EXPECT_EQ(s.flags(), 0x03u | 0x100u | 0x200u) << "sampled+random, has_is_remote, is_remote";
  ASSERT_EQ(s.attributes_size(), 10);
  EXPECT_EQ(s.attributes(0).value().string_value(), "value");
  EXPECT_TRUE(s.attributes(1).value().has_bool_value());
  EXPECT_FALSE(s.attributes(1).value().bool_value());
  EXPECT_EQ(s.attributes(2).value().int_value(), -42);
  EXPECT_EQ(s.attributes(3).value().double_value(), 0.5);
  const auto& strs = s.attributes(4).value().array_value();
  ASSERT_EQ(strs.values_size(), 3);
  EXPECT_EQ(strs.values(1).string_value(), "");
  EXPECT_TRUE(strs.values(1).has_string_value());
  EXPECT_EQ(s.attributes(5).value().array_value().values(2).int_value(), 300000);
  EXPECT_EQ(s.attributes(5).value().array_value().values(1).int_value(), -2);
  EXPECT_EQ(s.attributes(6).value().array_value().values(1).double_value(), -0.25);
  EXPECT_TRUE(s.attributes(7).value().array_value().values(0).bool_value());
  EXPECT_EQ(s.attributes(8).value().bytes_value(), std::string("\0\1\2\xff", 4));
  EXPECT_EQ(s.attributes(9).value().string_value(), std::string(300, 'x'));
  ASSERT_EQ(s.events_size(), 1);
  EXPECT_EQ(s.events(0).name(), "retry");
  EXPECT_EQ(s.events(0).time_unix_nano(), s.start_time_unix_nano() + 1'500'000u);
  EXPECT_EQ(s.events(0).attributes(0).value().int_value(), 2);
  ASSERT_EQ(s.links_size(), 2);
  EXPECT_EQ(s.links(0).span_id(), Raw(d.links[0].context.span_id()));
  EXPECT_EQ(s.links(0).attributes(0).value().string_value(), "follows");
  EXPECT_EQ(s.links(0).flags(), 0x03u | 0x100u) << "local link: has_is_remote, not remote";
  EXPECT_EQ(s.links(1).flags(), 0x03u | 0x100u | 0x200u);
  EXPECT_EQ(s.links(1).trace_state(), "vendor=x,t@sys=y");
  EXPECT_EQ(s.status().code(), pb::trace::v1::Status::STATUS_CODE_ERROR);
  EXPECT_EQ(s.status().message(), "boom");
  const auto& root = rs.scope_spans(0).spans(1);
  EXPECT_TRUE(root.parent_span_id().empty());
  EXPECT_EQ(root.flags(), 0x03u | 0x100u);
  EXPECT_EQ(root.kind(), pb::trace::v1::Span::SPAN_KIND_INTERNAL);
  EXPECT_FALSE(root.has_status());
}

TEST_F(OtlpEncoderTest, DroppedCountsAreEncoded) {
  sdk::TracerProviderOptions o;
  o.limits.attribute_count = 0;
  o.limits.event_count = 0;
  o.limits.link_count = 0;
  o.processor = std::make_unique<sdk::SimpleSpanProcessor>(
      std::make_unique<sdk::InMemorySpanExporter>(store_));
  sdk::TracerProvider limited(std::move(o));
  Span s = limited.GetTracer("t").StartSpan("limited");
  s.SetAttribute("a", 1);
  s.AddEvent("e");
  s.AddLink(s.context());
  s.End();
  auto req = RoundTrip();
  const auto& p = req.resource_spans(0).scope_spans(0).spans(0);
  EXPECT_EQ(p.dropped_attributes_count(), 1u);
  EXPECT_EQ(p.dropped_events_count(), 1u);
  EXPECT_EQ(p.dropped_links_count(), 1u);
}

TEST_F(OtlpEncoderTest, GroupsByResourceAndScope) {
  auto& a = provider_->GetTracer("a");
  auto& b = provider_->GetTracer("b");
  a.StartSpan("a1").End();
  b.StartSpan("b1").End();
  a.StartSpan("a2").End();
  sdk::TracerProviderOptions o;
  o.resource = sdk::Resource({{"service.name", std::string("other")}});
  o.processor = std::make_unique<sdk::SimpleSpanProcessor>(
      std::make_unique<sdk::InMemorySpanExporter>(store_));
  sdk::TracerProvider other(std::move(o));
  other.GetTracer("a").StartSpan("o1").End();
  auto req = RoundTrip();
  ASSERT_EQ(req.resource_spans_size(), 2);
  const auto& first = req.resource_spans(0);
  ASSERT_EQ(first.scope_spans_size(), 2);
  EXPECT_EQ(first.scope_spans(0).scope().name(), "a");
  ASSERT_EQ(first.scope_spans(0).spans_size(), 2);
  EXPECT_EQ(first.scope_spans(0).spans(0).name(), "a1");
  EXPECT_EQ(first.scope_spans(0).spans(1).name(), "a2");
  EXPECT_EQ(first.scope_spans(1).spans(0).name(), "b1");
  EXPECT_EQ(req.resource_spans(1).resource().attributes(0).value().string_value(), "other");
  EXPECT_EQ(req.resource_spans(1).scope_spans(0).spans(0).name(), "o1");
}

TEST(ProtoWriter, LengthFixupForAllVarintSizes) {
  for (std::size_t len : {0u, 1u, 127u, 128u, 16383u, 16384u, 3000000u}) {
    std::string out;
    ProtoWriter w(out);
    std::size_t m = w.BeginMessage(2);
    out.append(len, 'z');
    w.EndMessage(m);
    std::string_view in = out;
    ASSERT_EQ(static_cast<std::uint8_t>(in[0]), (2 << 3) | 2);
    in.remove_prefix(1);
    std::uint64_t v = 0;
    int shift = 0;
    while (true) {
      auto b = static_cast<std::uint8_t>(in[0]);
      in.remove_prefix(1);
      v |= static_cast<std::uint64_t>(b & 0x7f) << shift;
      shift += 7;
      if (!(b & 0x80)) break;
    }
    EXPECT_EQ(v, len);
    EXPECT_EQ(in.size(), len);
  }
}

TEST(PartialSuccess, Decodes) {
  pb::collector::trace::v1::ExportTraceServiceResponse res;
  res.mutable_partial_success()->set_rejected_spans(3);
  res.mutable_partial_success()->set_error_message("too old");
  std::int64_t rejected = 0;
  std::string message;
  ASSERT_TRUE(DecodePartialSuccess(res.SerializeAsString(), rejected, message));
  EXPECT_EQ(rejected, 3);
  EXPECT_EQ(message, "too old");
  EXPECT_FALSE(DecodePartialSuccess("\x0a\x05", rejected, message));
}

}  // namespace
}  // namespace blogtrace::telemetry::otlp
