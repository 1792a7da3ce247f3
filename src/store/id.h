// Identifiers for stored records: UUIDv7 (RFC 9562) in the canonical lower-case text form.
//
// Why UUIDv7: the 48-bit millisecond time prefix makes ids created later sort later, so new
// rows land at the right edge of the primary-key B-tree (SQLite and MongoDB alike) instead of at
// random pages; 74 random bits make collisions negligible and ids unguessable enough for an
// opaque public identifier; and the form is one every tool recognises. Callers must still treat
// ids as opaque strings (the contract says so).
#pragma once

#include <chrono>
#include <string>

namespace blogtrace::store {

// A new UUIDv7 for a record created at `now`. Thread-safe.
std::string NewId(std::chrono::system_clock::time_point now);

}  // namespace blogtrace::store
