// Table-driven W3C Trace Context Level 2 parsing and propagation rules (the cases of the W3C
// validation suite, test/test.py, plus Level 2 flag handling).
#include <gtest/gtest.h>

#include "telemetry/api/propagator.h"
#include "tests/telemetry/test_carrier.h"

namespace blogtrace::telemetry {
namespace {

using testing::MapCarrier;

constexpr char kTrace[] = "12345678901234567890123456789012";
constexpr char kSpan[] = "1234567890123456";

struct TraceparentCase {
  const char* name;
  std::string value;
  bool valid;
};

class TraceparentParse : public ::testing::TestWithParam<TraceparentCase> {};

TEST_P(TraceparentParse, FollowsTheRecommendation) {
  const auto& c = GetParam();
  auto parsed = ParseTraceparent(c.value);
  EXPECT_EQ(parsed.has_value(), c.valid) << c.value;
  if (parsed && c.valid) {
    EXPECT_EQ(parsed->trace_id().ToHex(), kTrace);
    EXPECT_EQ(parsed->span_id().ToHex(), kSpan);
    EXPECT_TRUE(parsed->is_remote());
  }
}

const std::string kOk = std::string("-") + kTrace + "-" + kSpan + "-01";

INSTANTIATE_TEST_SUITE_P(
    W3C, TraceparentParse,
    ::testing::Values(
        TraceparentCase{"version_00", "00" + kOk, true},
        TraceparentCase{"v00_trailing_dot", "00" + kOk + ".", false},
        TraceparentCase{"v00_extra_fields", "00" + kOk + "-what-the-future-will-be-like", false},
        TraceparentCase{"future_version", "cc" + kOk, true},
        TraceparentCase{"future_version_extra", "cc" + kOk + "-what-the-future-will-be-like", true},
        TraceparentCase{"future_version_bad_sep", "cc" + kOk + ".what-the-future", false},
        TraceparentCase{"version_ff", "ff" + kOk, false},
        TraceparentCase{"version_bad_char1", ".0" + kOk, false},
        TraceparentCase{"version_bad_char2", "0." + kOk, false},
        TraceparentCase{"version_upper", "0A" + kOk, false},
        TraceparentCase{"version_too_long", "000" + kOk, false},
        TraceparentCase{"version_too_long4", "0000" + kOk, false},
        TraceparentCase{"version_too_short", "0" + kOk, false},
        TraceparentCase{"trace_all_zero", "00-00000000000000000000000000000000-1234567890123456-01",
                        false},
        TraceparentCase{"trace_bad_char_first",
                        "00-.2345678901234567890123456789012-1234567890123456-01", false},
        TraceparentCase{"trace_bad_char_last",
                        "00-1234567890123456789012345678901.-1234567890123456-01", false},
        TraceparentCase{"trace_upper", "00-1234567890123456789012345678901A-1234567890123456-01",
                        false},
        TraceparentCase{"trace_too_long",
                        "00-123456789012345678901234567890123-1234567890123456-01", false},
        TraceparentCase{"trace_too_short", "00-1234567890123456789012345678901-1234567890123456-01",
                        false},
        TraceparentCase{"parent_all_zero",
                        "00-12345678901234567890123456789012-0000000000000000-01", false},
        TraceparentCase{"parent_bad_char_first",
                        "00-12345678901234567890123456789012-.234567890123456-01", false},
        TraceparentCase{"parent_bad_char_last",
                        "00-12345678901234567890123456789012-123456789012345.-01", false},
        TraceparentCase{"parent_upper", "00-12345678901234567890123456789012-123456789012345A-01",
                        false},
        TraceparentCase{"parent_too_long",
                        "00-12345678901234567890123456789012-12345678901234567-01", false},
        TraceparentCase{"parent_too_short",
                        "00-12345678901234567890123456789012-123456789012345-01", false},
        TraceparentCase{"flags_bad_char1",
                        "00-12345678901234567890123456789012-1234567890123456-.0", false},
        TraceparentCase{"flags_bad_char2",
                        "00-12345678901234567890123456789012-1234567890123456-0.", false},
        TraceparentCase{"flags_upper", "00-12345678901234567890123456789012-1234567890123456-0A",
                        false},
        TraceparentCase{"flags_too_long",
                        "00-12345678901234567890123456789012-1234567890123456-001", false},
        TraceparentCase{"flags_too_short", "00-12345678901234567890123456789012-1234567890123456-1",
                        false},
        TraceparentCase{"ows_space_before", " 00" + kOk, true},
        TraceparentCase{"ows_tab_before", "\t00" + kOk, true},
        TraceparentCase{"ows_space_after", "00" + kOk + " ", true},
        TraceparentCase{"ows_tab_after", "00" + kOk + "\t", true},
        TraceparentCase{"ows_both", "\t 00" + kOk + " \t", true},
        TraceparentCase{"duplicated_joined", "00" + kOk + ",00" + kOk, false},
        TraceparentCase{"wrong_separator",
                        "00_12345678901234567890123456789012-1234567890123456-01", false},
        TraceparentCase{"empty", "", false}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(TraceContextPropagator, ExtractsTraceparentAndTracestate) {
  W3CTraceContextPropagator p;
  MapCarrier in{{"TraceParent", "00" + kOk}, {"TRACESTATE", "foo=1,bar=2"}};
  Context ctx = p.Extract(in);
  ASSERT_TRUE(ctx.span_context.IsValid());
  EXPECT_TRUE(ctx.span_context.is_remote());
  EXPECT_TRUE(ctx.span_context.IsSampled());
  EXPECT_EQ(ctx.span_context.trace_state().ToHeader(), "foo=1,bar=2");
}

TEST(TraceContextPropagator, InvalidTraceparentIgnoresBothHeaders) {
  W3CTraceContextPropagator p;
  MapCarrier in{{"traceparent", "ff" + kOk}, {"tracestate", "foo=1"}};
  Context ctx = p.Extract(in);
  EXPECT_FALSE(ctx.span_context.IsValid());
  EXPECT_TRUE(ctx.span_context.trace_state().empty());
}

TEST(TraceContextPropagator, TracestateWithoutTraceparentIsIgnored) {
  W3CTraceContextPropagator p;
  MapCarrier in{{"tracestate", "foo=1"}};
  EXPECT_FALSE(p.Extract(in).span_context.IsValid());
}

TEST(TraceContextPropagator, InvalidTracestateIsDroppedButTraceparentKept) {
  W3CTraceContextPropagator p;
  MapCarrier in{{"traceparent", "00" + kOk}, {"tracestate", "foo=1,foo=2"}};
  Context ctx = p.Extract(in);
  EXPECT_TRUE(ctx.span_context.IsValid());
  EXPECT_TRUE(ctx.span_context.trace_state().empty());
}

TEST(TraceContextPropagator, MultipleTracestateHeadersCombineInOrder) {
  W3CTraceContextPropagator p;
  MapCarrier in;
  in.Add("traceparent", "00" + kOk);
  in.Add("tracestate", "foo=1,bar=2");
  in.Add("tracestate", "");
  in.Add("tracestate", "rojo=1,congo=2");
  in.Add("tracestate", "baz=3");
  Context ctx = p.Extract(in);
  EXPECT_EQ(ctx.span_context.trace_state().ToHeader(), "foo=1,bar=2,rojo=1,congo=2,baz=3");
}

TEST(TraceContextPropagator, InjectWritesLowerCaseAndKnownFlagsOnly) {
  W3CTraceContextPropagator p;
  auto sc = ParseTraceparent("00-" + std::string(kTrace) + "-" + kSpan + "-ff");
  ASSERT_TRUE(sc);
  Context ctx{
      SpanContext(sc->trace_id(), sc->span_id(), sc->flags(), false, *TraceState::Parse("a=1")),
      {}};
  MapCarrier out;
  p.Inject(ctx, out);
  EXPECT_EQ(out.headers().at("traceparent"), "00-" + std::string(kTrace) + "-" + kSpan + "-03");
  EXPECT_EQ(out.headers().at("tracestate"), "a=1");
}

TEST(TraceContextPropagator, InjectNothingForInvalidContext) {
  W3CTraceContextPropagator p;
  MapCarrier out;
  p.Inject(Context{}, out);
  EXPECT_TRUE(out.headers().empty());
}

TEST(TraceContextPropagator, FutureVersionIsDowngradedToVersion00) {
  W3CTraceContextPropagator p;
  MapCarrier in{{"traceparent", "cc" + kOk + "-extra"}};
  MapCarrier out;
  p.Inject(p.Extract(in), out);
  EXPECT_EQ(out.headers().at("traceparent"), "00" + kOk);
}

TEST(TraceContextPropagator, RandomFlagSurvivesRoundTrip) {
  W3CTraceContextPropagator p;
  MapCarrier in{{"traceparent", "00-" + std::string(kTrace) + "-" + kSpan + "-02"}};
  Context ctx = p.Extract(in);
  EXPECT_TRUE(ctx.span_context.flags().random());
  EXPECT_FALSE(ctx.span_context.IsSampled());
}

TEST(TraceContextPropagator, FormatTraceResponse) {
  auto sc = ParseTraceparent("00-" + std::string(kTrace) + "-" + kSpan + "-01");
  EXPECT_EQ(FormatTraceResponse(*sc), "00-" + std::string(kTrace) + "-" + kSpan + "-01");
}

// The allocation-free form writes the same value into the caller's buffer; unknown flag bits are
// dropped as in the string form.
TEST(TraceContextPropagator, FormatTraceparentIntoBuffer) {
  for (const char* flags : {"00", "01", "02", "03", "ff"}) {
    auto sc = ParseTraceparent("00-" + std::string(kTrace) + "-" + kSpan + "-" + flags);
    ASSERT_TRUE(sc) << flags;
    TraceparentBuffer buf;
    std::string_view v = FormatTraceparent(*sc, buf);
    EXPECT_EQ(v.data(), buf.data());
    EXPECT_EQ(v, FormatTraceparent(*sc));
  }
  auto sc = ParseTraceparent("00-" + std::string(kTrace) + "-" + kSpan + "-ff");
  TraceparentBuffer buf;
  EXPECT_EQ(FormatTraceparent(*sc, buf), "00-" + std::string(kTrace) + "-" + kSpan + "-03");
}

TEST(Ids, HexRoundTripAndValidity) {
  auto id = TraceId::FromHex(kTrace);
  ASSERT_TRUE(id);
  EXPECT_EQ(id->ToHex(), kTrace);
  EXPECT_TRUE(id->IsValid());
  EXPECT_FALSE(TraceId().IsValid());
  EXPECT_FALSE(SpanId().IsValid());
  EXPECT_FALSE(TraceId::FromHex("123"));
  EXPECT_FALSE(SpanId::FromHex("123456789012345g"));
  EXPECT_EQ(SpanId::FromHex("ABCDEF0123456789")->ToHex(), "abcdef0123456789");
}

}  // namespace
}  // namespace blogtrace::telemetry
