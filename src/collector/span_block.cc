#include "collector/span_block.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>

namespace blogtrace::collector {
namespace {

constexpr int kProbes = 4;

std::uint64_t Load64(const char* p) noexcept {
  std::uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

// MurmurHash3's 64-bit finalizer: every input bit affects every output bit.
std::uint64_t Mix(std::uint64_t h) noexcept {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return h;
}

// The probe positions of `hash` in a filter of `bits` bits (a power of two): double hashing.
template <typename F>
void ForEachProbe(std::uint64_t hash, std::uint64_t bits, F&& f) noexcept {
  std::uint64_t h1 = hash;
  std::uint64_t h2 = Mix(hash) | 1;
  for (int i = 0; i < kProbes; ++i) f((h1 + static_cast<std::uint64_t>(i) * h2) & (bits - 1));
}

}  // namespace

std::vector<BlockEntry> DecodeEntries(std::string_view blob) {
  std::vector<BlockEntry> out(blob.size() / sizeof(BlockEntry));
  if (!out.empty()) std::memcpy(out.data(), blob.data(), out.size() * sizeof(BlockEntry));
  return out;
}

std::uint64_t Hash64(std::string_view data) noexcept {
  constexpr std::uint64_t kMul = 0x9e3779b97f4a7c15ULL;
  std::uint64_t h = 0x243f6a8885a308d3ULL ^ (data.size() * kMul);
  const char* p = data.data();
  std::size_t n = data.size();
  for (; n >= 8; p += 8, n -= 8) h = std::rotl((h ^ Load64(p)) * kMul, 31);
  std::uint64_t tail = 0;
  for (std::size_t i = 0; i < n; ++i)
    tail |= static_cast<std::uint64_t>(static_cast<unsigned char>(p[i])) << (8 * i);
  return Mix(h ^ tail);
}

BloomBuilder::BloomBuilder(std::size_t items, std::size_t bits_per_item) {
  std::uint64_t bits = 512;
  while (bits < items * bits_per_item && bits < (std::uint64_t{1} << 24)) bits <<= 1;
  words_.assign(bits / 64, 0);
}

void BloomBuilder::Add(std::uint64_t hash) noexcept {
  ForEachProbe(hash, words_.size() * 64,
               [&](std::uint64_t bit) { words_[bit / 64] |= std::uint64_t{1} << (bit % 64); });
}

bool BloomMayContain(std::string_view filter, std::uint64_t hash) noexcept {
  std::uint64_t bits = filter.size() * 8;
  if (bits < 64 || !std::has_single_bit(bits)) return true;
  bool all = true;
  ForEachProbe(hash, bits, [&](std::uint64_t bit) {
    auto byte = static_cast<unsigned char>(filter[bit / 8]);
    all = all && ((byte >> (bit % 8)) & 1);
  });
  return all;
}

std::string SegmentPath(const std::string& dir, std::int64_t id) {
  char name[32];
  std::snprintf(name, sizeof name, "%08lld.seg", static_cast<long long>(id));
  return dir + "/" + name;
}

std::int64_t SegmentId(std::string_view file_name) noexcept {
  // At least 8 digits (more once ids pass 99,999,999), then ".seg".
  if (file_name.size() < 12 || file_name.size() > 22 || !file_name.ends_with(".seg")) return 0;
  std::int64_t id = 0;
  for (char c : file_name.substr(0, file_name.size() - 4)) {
    if (c < '0' || c > '9') return 0;
    id = id * 10 + (c - '0');
  }
  return id;
}

Result<SegmentFile> SegmentFile::Open(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Error::NotFound("span block file missing: " + path);
  return SegmentFile(fd);
}

SegmentFile::~SegmentFile() {
  if (fd_ >= 0) ::close(fd_);
}

Result<std::string> SegmentFile::Read(std::uint64_t offset, std::uint64_t size) const {
  std::string out(size, '\0');
  std::uint64_t done = 0;
  while (done < size) {
    ssize_t n = ::pread(fd_, out.data() + done, size - done, static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<std::uint64_t>(n);
  }
  if (done != size) return Error::NotFound("span block data missing");
  return out;
}

Result<std::string> ReadSegment(const std::string& path, std::uint64_t offset, std::uint64_t size) {
  auto file = SegmentFile::Open(path);
  if (!file) return file.error();
  return file->Read(offset, size);
}

std::string EncodeIds(std::vector<std::uint32_t> ids) {
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return std::string(reinterpret_cast<const char*>(ids.data()), ids.size() * sizeof(std::uint32_t));
}

bool ContainsId(std::string_view encoded, std::uint32_t id) noexcept {
  std::size_t lo = 0, hi = encoded.size() / 4;
  while (lo < hi) {
    std::size_t mid = (lo + hi) / 2;
    std::uint32_t v;
    std::memcpy(&v, encoded.data() + mid * 4, 4);
    if (v == id) return true;
    if (v < id) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return false;
}

}  // namespace blogtrace::collector
