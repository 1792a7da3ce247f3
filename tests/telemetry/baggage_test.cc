// W3C Baggage header: grammar, percent-encoding, properties, limits, and the composite
// propagator built from OTEL_PROPAGATORS.
#include <gtest/gtest.h>

#include "telemetry/api/propagator.h"
#include "tests/telemetry/test_carrier.h"

namespace blogtrace::telemetry {
namespace {

using testing::MapCarrier;

TEST(Baggage, ParsesMembersWithOwsAndPercentEncoding) {
  Baggage b = ParseBaggage(" userId = alice , serverNode=DF%2028 ,isProduction=false");
  EXPECT_EQ(b.Get("userId"), "alice");
  EXPECT_EQ(b.Get("serverNode"), "DF 28");
  EXPECT_EQ(b.Get("isProduction"), "false");
  EXPECT_EQ(b.size(), 3u);
}

TEST(Baggage, KeepsPropertiesAndDecodesUtf8) {
  Baggage b = ParseBaggage("key1=value1;property1;property2=x, key2=%E2%9C%93");
  ASSERT_EQ(b.size(), 2u);
  EXPECT_EQ(b.entries()[0].properties, "property1;property2=x");
  EXPECT_EQ(b.Get("key2"), "\xE2\x9C\x93");
}

TEST(Baggage, SkipsMalformedMembers) {
  Baggage b = ParseBaggage("good=1,no_equals,bad key=2,=3,bad%=x%zz,ok=2,p=1;bad prop=;");
  EXPECT_EQ(b.Get("good"), "1");
  EXPECT_EQ(b.Get("ok"), "2");
  EXPECT_EQ(b.size(), 2u);
}

TEST(Baggage, FormatPercentEncodesValues) {
  Baggage b = Baggage().Set("k", "a b,c;d%e\"\\").Set("u", "\xE2\x9C\x93");
  EXPECT_EQ(FormatBaggage(b), "k=a%20b%2Cc%3Bd%25e%22%5C,u=%E2%9C%93");
  EXPECT_EQ(ParseBaggage(FormatBaggage(b)), b);
}

TEST(Baggage, LimitsMembersTo180) {
  std::string header;
  for (int i = 0; i < 200; ++i) header += (i ? "," : "") + ("k" + std::to_string(i)) + "=v";
  EXPECT_EQ(ParseBaggage(header).size(), Baggage::kMaxMembers);
  Baggage big;
  for (int i = 0; i < 200; ++i) big = big.Set("k" + std::to_string(i), "v");
  EXPECT_EQ(ParseBaggage(FormatBaggage(big)).size(), Baggage::kMaxMembers);
}

TEST(Baggage, LimitsBytesTo8192) {
  Baggage big;
  for (int i = 0; i < 10; ++i) big = big.Set("k" + std::to_string(i), std::string(1000, 'v'));
  std::string header = FormatBaggage(big);
  EXPECT_LE(header.size(), Baggage::kMaxBytes);
  EXPECT_EQ(ParseBaggage(header).size(), 8u);
  std::string raw;
  for (int i = 0; i < 10; ++i)
    raw += (i ? "," : "") + ("k" + std::to_string(i)) + "=" + std::string(1000, 'v');
  EXPECT_EQ(ParseBaggage(raw).size(), 8u);
}

TEST(Baggage, SetReplacesAndRemoveDeletes) {
  Baggage b = Baggage().Set("a", "1").Set("b", "2").Set("a", "3");
  EXPECT_EQ(b.Get("a"), "3");
  EXPECT_EQ(b.entries()[0].key, "a");
  EXPECT_FALSE(b.Remove("a").Get("a"));
  EXPECT_TRUE(Baggage().empty());
}

TEST(CompositePropagator, DefaultExtractsAndInjectsBoth) {
  auto p = MakePropagator("");
  MapCarrier in{{"traceparent", "00-12345678901234567890123456789012-1234567890123456-01"},
                {"baggage", "user=alice"}};
  Context ctx = p->Extract(in);
  EXPECT_TRUE(ctx.span_context.IsValid());
  EXPECT_EQ(ctx.baggage.Get("user"), "alice");
  MapCarrier out;
  p->Inject(ctx, out);
  EXPECT_EQ(out.headers().size(), 2u);
  EXPECT_EQ(out.headers().at("baggage"), "user=alice");
}

TEST(CompositePropagator, OnlyTheNamedPropagators) {
  MapCarrier in{{"traceparent", "00-12345678901234567890123456789012-1234567890123456-01"},
                {"baggage", "user=alice"}};
  Context tc_only = MakePropagator("tracecontext")->Extract(in);
  EXPECT_TRUE(tc_only.span_context.IsValid());
  EXPECT_TRUE(tc_only.baggage.empty());
  Context baggage_only = MakePropagator(" baggage , b3 ")->Extract(in);
  EXPECT_FALSE(baggage_only.span_context.IsValid());
  EXPECT_EQ(baggage_only.baggage.Get("user"), "alice");
  Context none = MakePropagator("none")->Extract(in);
  EXPECT_FALSE(none.span_context.IsValid());
  EXPECT_TRUE(none.baggage.empty());
}

}  // namespace
}  // namespace blogtrace::telemetry
