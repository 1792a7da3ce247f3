// Pieces shared by the two span extractors (from a parsed message in span_batch.cc, straight from
// the wire format in otlp_wire.cc), so both produce byte-identical tag text and reject the same
// spans. Internal to the collector; pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "collector/span_batch.h"

namespace blogtrace::collector::extract {

// True when `s` holds one of the tag text's separators ("\x1e", "\x1f").
inline bool HasSeparator(std::string_view s) {
  bool found = false;
  for (unsigned char c : s) found |= (c | 1) == 0x1f;  // 0x1e and 0x1f only
  return found;
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
// TagPattern): the text's leading "\x1f" is written with its first pair.
inline void AppendTag(std::string& out, std::size_t text_start, std::string_view key,
                      std::string_view value) {
  if (out.size() == text_start) out += '\x1f';
  AppendClean(out, key);
  out += '\x1e';
  AppendClean(out, value);
  out += '\x1f';
}

// The reason a span with these ids is rejected, or nullptr when they are valid.
const char* InvalidIds(std::string_view trace_id, std::string_view span_id,
                       std::string_view parent_span_id);

// The ExtractResult::error_message for `rejected` spans, the first for `first_reason`.
std::string RejectedMessage(std::int64_t rejected, std::string_view first_reason);

}  // namespace blogtrace::collector::extract
