// The span store's on-disk block format (private to span_store*.cc and their tests).
//
// Spans are stored in blocks of up to kMaxBlockSpans spans, written with one file write and one
// SQLite row per block instead of one row plus index entries per span. A block has
//   a payload, appended to a segment file beside the database, in three parts:
//     entries: one fixed-size BlockEntry per span (ids, times, interned names, where its bytes
//              are), sorted by trace id so that each trace's spans are one contiguous run;
//     tags:    the spans' tag text back to back (what tag searches scan);
//     spans:   the spans' serialized protobuf bytes back to back, in entry order;
//   a metadata row (SQLite, table `block_meta`): where the payload is, and what tells a lookup
//     whether the block can matter at all: its time range, a Bloom filter of its trace ids, the
//     services, operations and origins it contains, and a Bloom filter of its tag pairs.
// Payloads live outside SQLite because SQLite's WAL writes every byte twice (log, then
// checkpoint), and random index inserts dirty a page each: together most of the ingest cost.
// A segment is written once, never changed, and deleted whole when retention has removed all
// its blocks.
// Integers are stored little-endian (the layout is checked at compile time; the store refuses to
// build on a big-endian machine).
#pragma once

#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "common/result.h"

namespace blogtrace::collector {

static_assert(std::endian::native == std::endian::little, "the block format is little-endian");

// The most spans one block holds.
inline constexpr std::size_t kMaxBlockSpans = 1024;

// One span's index entry: 80 bytes, stored as raw bytes.
struct BlockEntry {
  std::array<char, 16> trace_id;
  std::array<char, 8> span_id;
  std::array<char, 8> parent_id;  // all zero for a root span
  std::uint64_t start_ns;
  std::uint64_t duration_ns;
  std::uint32_t service_id;
  std::uint32_t operation_id;
  std::uint32_t origin_id;
  std::uint8_t kind;
  std::uint8_t has_error;
  std::uint8_t reserved[2];
  std::uint32_t span_offset;  // in the block's spans blob
  std::uint32_t span_size;
  std::uint32_t tags_offset;  // in the block's tags blob
  std::uint32_t tags_size;

  bool is_root() const { return parent_id == std::array<char, 8>{}; }
};
static_assert(sizeof(BlockEntry) == 80 && std::is_trivially_copyable_v<BlockEntry>);

// Entries from a blob (copied: blob memory carries no alignment guarantee). Trailing bytes that
// do not make a whole entry are ignored.
std::vector<BlockEntry> DecodeEntries(std::string_view blob);

// A stable 64-bit hash (the same in every process and version: Bloom filters are persisted).
std::uint64_t Hash64(std::string_view data) noexcept;
// The hash of a trace id as the trace Bloom filters use it.
inline std::uint64_t TraceHash(const std::array<char, 16>& trace_id) noexcept {
  return Hash64(std::string_view(trace_id.data(), trace_id.size()));
}

// A Bloom filter over 64-bit hashes, built in memory and stored as its bit array.
class BloomBuilder {
 public:
  // Sized for `items` insertions at `bits_per_item` to twice that (a power of two, 512 bits at
  // least).
  explicit BloomBuilder(std::size_t items, std::size_t bits_per_item = 6);
  void Add(std::uint64_t hash) noexcept;
  // The bit array, to store.
  std::string_view bytes() const noexcept {
    return {reinterpret_cast<const char*>(words_.data()), words_.size() * sizeof(std::uint64_t)};
  }

 private:
  std::vector<std::uint64_t> words_;
};

// Whether a stored filter may contain `hash` (false: certainly not). An empty or malformed
// filter answers true, so a damaged row never hides spans.
bool BloomMayContain(std::string_view filter, std::uint64_t hash) noexcept;

// The segment file `id` in `dir`: dir/00000001.seg and so on.
std::string SegmentPath(const std::string& dir, std::int64_t id);
// The segment id of a file name such as "00000001.seg" (8 digits or more); 0 when it is not one.
std::int64_t SegmentId(std::string_view file_name) noexcept;
// An open segment file for reading (RAII; move-only).
class SegmentFile {
 public:
  // kNotFound when the file is missing (retention removed it).
  static Result<SegmentFile> Open(const std::string& path);
  SegmentFile(SegmentFile&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  SegmentFile& operator=(SegmentFile&&) = delete;
  ~SegmentFile();
  // Reads `size` bytes at `offset`; kNotFound when the range is missing (a crash lost an
  // uncommitted tail, or the file was damaged).
  Result<std::string> Read(std::uint64_t offset, std::uint64_t size) const;

 private:
  explicit SegmentFile(int fd) : fd_(fd) {}
  int fd_ = -1;
};

// Opens, reads and closes: one range of a segment file.
Result<std::string> ReadSegment(const std::string& path, std::uint64_t offset, std::uint64_t size);

// Sorted, distinct 32-bit ids stored as raw little-endian bytes.
std::string EncodeIds(std::vector<std::uint32_t> ids);
bool ContainsId(std::string_view encoded, std::uint32_t id) noexcept;

}  // namespace blogtrace::collector
