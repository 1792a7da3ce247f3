// Failures inside the SQLite backend. Inside src/store/sqlite they travel as SqliteError
// exceptions from the RAII wrappers to one boundary per store call (RunDbCall), which records
// them on the call's span and turns them into a blogtrace::Error; nothing throws past the
// UserStore/BlogStore interfaces.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

#include "common/error.h"

struct sqlite3;

namespace blogtrace::store::sqlite {

// A failed SQLite call: its extended result code and SQLite's own message (for spans and logs;
// never sent to clients).
class SqliteError : public std::runtime_error {
 public:
  SqliteError(int code, const std::string& message) : std::runtime_error(message), code_(code) {}
  // The extended result code (e.g. SQLITE_CONSTRAINT_UNIQUE).
  int code() const noexcept { return code_; }

 private:
  int code_;
};

// Throws SqliteError for `rc` with the connection's message (or sqlite3_errstr when db is null).
[[noreturn]] void ThrowSqlite(sqlite3* db, int rc, std::string_view context);

// The symbolic name of a result code ("SQLITE_CONSTRAINT_UNIQUE", "SQLITE_BUSY", ...), used as
// the span's error.type.
std::string SqliteCodeName(int code);

// The contract error for a failure: a unique-constraint violation is kConflict (with
// `conflict_message`); busy/locked beyond the timeout and files that cannot be opened are
// kUnavailable; everything else is kInternal. Messages hold no paths or values.
Error ToError(const SqliteError& error, std::string_view conflict_message);

}  // namespace blogtrace::store::sqlite
