// Id generators: random ids are valid, distinct and use every bit; the root-span path draws from
// the same generator; sequential ids are big-endian counters.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "telemetry/sdk/id_generator.h"

namespace blogtrace::telemetry::sdk {
namespace {

TEST(RandomIdGenerator, IdsAreValidAndDistinct) {
  RandomIdGenerator& gen = RandomIdGenerator::Instance();
  std::set<std::string> traces, spans;
  for (int i = 0; i < 2000; ++i) {
    TraceId t = gen.GenerateTraceId();
    SpanId s = gen.GenerateSpanId();
    ASSERT_TRUE(t.IsValid());
    ASSERT_TRUE(s.IsValid());
    traces.insert(t.ToHex());
    spans.insert(s.ToHex());
    TraceId rt;
    SpanId rs;
    gen.GenerateRootIds(rt, rs);
    ASSERT_TRUE(rt.IsValid());
    ASSERT_TRUE(rs.IsValid());
    traces.insert(rt.ToHex());
    spans.insert(rs.ToHex());
  }
  EXPECT_EQ(traces.size(), 4000u);
  EXPECT_EQ(spans.size(), 4000u);
}

// Every byte position of root ids varies (catches a byte-order or half-written id): over 256 ids
// each position takes many values.
TEST(RandomIdGenerator, RootIdsUseEveryByte) {
  RandomIdGenerator& gen = RandomIdGenerator::Instance();
  std::set<std::uint8_t> trace_bytes[16], span_bytes[8];
  for (int i = 0; i < 256; ++i) {
    TraceId t;
    SpanId s;
    gen.GenerateRootIds(t, s);
    for (std::size_t b = 0; b < 16; ++b) trace_bytes[b].insert(t.bytes()[b]);
    for (std::size_t b = 0; b < 8; ++b) span_bytes[b].insert(s.bytes()[b]);
  }
  for (std::size_t b = 0; b < 16; ++b) EXPECT_GT(trace_bytes[b].size(), 100u) << "trace byte " << b;
  for (std::size_t b = 0; b < 8; ++b) EXPECT_GT(span_bytes[b].size(), 100u) << "span byte " << b;
}

TEST(SequentialIdGenerator, CountsUpBigEndian) {
  SequentialIdGenerator gen(0x0102, 0x0a0b);
  EXPECT_EQ(gen.GenerateTraceId().ToHex(), "00000000000000000000000000000102");
  EXPECT_EQ(gen.GenerateTraceId().ToHex(), "00000000000000000000000000000103");
  EXPECT_EQ(gen.GenerateSpanId().ToHex(), "0000000000000a0b");
  EXPECT_FALSE(gen.TraceIdsAreRandom());
}

}  // namespace
}  // namespace blogtrace::telemetry::sdk
