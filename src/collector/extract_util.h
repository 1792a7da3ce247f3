// Pieces shared by the two span extractors (from a parsed message in span_batch.cc, straight from
// the wire format in otlp_wire.cc), so both produce byte-identical tag text and reject the same
// spans. Internal to the collector; pure functions.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "collector/span_batch.h"

namespace blogtrace::collector::extract {

// True when `s` holds one of the tag text's separators ("\x1e", "\x1f"). Eight bytes at a time:
// OR-ing 0x01 maps both separators to 0x1f, then a zero byte of (x ^ 0x1f...) is found with the
// exact "has zero byte" test.
inline bool HasSeparator(std::string_view s) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ull;
  constexpr std::uint64_t kHigh = 0x8080808080808080ull;
  std::size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    std::uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    std::uint64_t x = (w | kOnes) ^ (kOnes * 0x1f);
    if (((x - kOnes) & ~x & kHigh) != 0) return true;
  }
  for (; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) | 1) == 0x1f) return true;
  }
  return false;
}

// Appends `s` with the tag text's separators replaced by spaces.
inline void AppendClean(std::string& out, std::string_view s) {
  if (!HasSeparator(s)) {
    out.append(s);
    return;
  }
  for (char c : s) out += (c == '\x1e' || c == '\x1f') ? ' ' : c;
}

// Appends one key/value pair to the tag text that starts at `text_start` in `out` (see
// TagPattern): the text's leading "\x1f" is written with its first pair. One resize and plain
// copies in the common case (no separators inside), since this runs for every attribute.
inline void AppendTag(std::string& out, std::size_t text_start, std::string_view key,
                      std::string_view value) {
  const bool lead = out.size() == text_start;
  if (HasSeparator(key) || HasSeparator(value)) {
    if (lead) out += '\x1f';
    AppendClean(out, key);
    out += '\x1e';
    AppendClean(out, value);
    out += '\x1f';
    return;
  }
  const std::size_t at = out.size();
  out.resize(at + lead + key.size() + value.size() + 2);
  char* p = out.data() + at;
  if (lead) *p++ = '\x1f';
  if (!key.empty()) std::memcpy(p, key.data(), key.size());
  p += key.size();
  *p++ = '\x1e';
  if (!value.empty()) std::memcpy(p, value.data(), value.size());
  p += value.size();
  *p = '\x1f';
}

// The reason a span with these ids is rejected, or nullptr when they are valid.
const char* InvalidIds(std::string_view trace_id, std::string_view span_id,
                       std::string_view parent_span_id);

// The ExtractResult::error_message for `rejected` spans, the first for `first_reason`.
std::string RejectedMessage(std::int64_t rejected, std::string_view first_reason);

}  // namespace blogtrace::collector::extract
