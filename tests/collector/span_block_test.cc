#include "collector/span_block.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace blogtrace::collector {
namespace {

TEST(Hash64Test, NeverChangesBecauseFiltersArePersisted) {
  // Bloom filters on disk were built with these values: a different hash would make searches
  // skip blocks that match.
  EXPECT_EQ(Hash64(""), 8848935107335307795ull);
  EXPECT_EQ(Hash64("\x1fhttp.response.status_code\x1e"
                   "500\x1f"),
            3506945487431375519ull);
  EXPECT_EQ(Hash64("abcdefghijklmnopq"), 3747284948470139506ull);
  EXPECT_NE(Hash64("a"), Hash64("b"));
  EXPECT_NE(Hash64(std::string(8, '\0')), Hash64(std::string(9, '\0')));
}

TEST(BloomTest, FindsEveryItemAddedAndFewOthers) {
  std::mt19937_64 rng(7);
  BloomBuilder bloom(2000);
  std::vector<std::uint64_t> added;
  for (int i = 0; i < 2000; ++i) added.push_back(rng());
  for (auto h : added) bloom.Add(h);
  std::string stored(bloom.bytes());
  for (auto h : added) ASSERT_TRUE(BloomMayContain(stored, h));
  int false_positives = 0;
  for (int i = 0; i < 100000; ++i) false_positives += BloomMayContain(stored, rng()) ? 1 : 0;
  EXPECT_LT(false_positives, 10000) << "more than 10% false positives at 6+ bits per item";
}

TEST(BloomTest, AnEmptyOrMalformedFilterHidesNothing) {
  EXPECT_TRUE(BloomMayContain("", 42));
  EXPECT_TRUE(BloomMayContain(std::string(24, '\0'), 42));   // not a power-of-two size
  EXPECT_FALSE(BloomMayContain(std::string(64, '\0'), 42));  // a real, empty filter
}

TEST(EncodedIdsTest, AreSortedDistinctAndSearchable) {
  std::string ids = EncodeIds({7, 3, 7, 100000, 3, 1});
  EXPECT_EQ(ids.size(), 4 * sizeof(std::uint32_t));
  for (std::uint32_t id : {1u, 3u, 7u, 100000u}) EXPECT_TRUE(ContainsId(ids, id)) << id;
  for (std::uint32_t id : {0u, 2u, 8u, 99999u, 4000000000u})
    EXPECT_FALSE(ContainsId(ids, id)) << id;
  EXPECT_FALSE(ContainsId("", 1));
}

TEST(SegmentNamesTest, RoundTripAndRejectOtherFiles) {
  EXPECT_EQ(SegmentPath("/d", 1), "/d/00000001.seg");
  EXPECT_EQ(SegmentId("00000001.seg"), 1);
  EXPECT_EQ(SegmentId("99999999.seg"), 99999999);
  EXPECT_EQ(SegmentPath("/d", 123456789), "/d/123456789.seg");
  EXPECT_EQ(SegmentId("123456789.seg"), 123456789);  // past 8 digits
  for (const char* other :
       {"1.seg", "0000001a.seg", "00000001.seg.tmp", "00000001.txt", "traces.db", "", ".seg"}) {
    EXPECT_EQ(SegmentId(other), 0) << other;
  }
}

TEST(BlockEntryTest, DecodesWholeEntriesOnly) {
  BlockEntry e{};
  e.trace_id[0] = 1;
  e.start_ns = 123;
  e.span_size = 9;
  std::string blob(reinterpret_cast<const char*>(&e), sizeof e);
  blob += blob;
  blob += "xyz";  // a torn tail
  auto entries = DecodeEntries(blob);
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[1].start_ns, 123u);
  EXPECT_EQ(entries[1].span_size, 9u);
  EXPECT_TRUE(entries[0].is_root());
  EXPECT_TRUE(DecodeEntries("short").empty());
}

}  // namespace
}  // namespace blogtrace::collector
