// RAII owners for SQLite handles used by the span store. A Database owns one connection and a
// Statement one prepared statement; both are move-only. Not thread-safe: one thread uses a
// connection (and its statements) at a time.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "common/result.h"

namespace blogtrace::collector {

// A prepared statement. Bind indexes are 1-based, column indexes 0-based (as in SQLite).
class Statement {
 public:
  Statement() = default;
  explicit Statement(sqlite3_stmt* stmt) : stmt_(stmt) {}

  // Binds; the text and blob overloads copy nothing (SQLITE_STATIC): the caller keeps the data
  // alive until the statement is stepped and reset.
  void Bind(int index, std::int64_t value) { sqlite3_bind_int64(stmt_.get(), index, value); }
  void BindText(int index, std::string_view value) {
    sqlite3_bind_text(stmt_.get(), index, value.data(), static_cast<int>(value.size()),
                      SQLITE_STATIC);
  }
  void BindBlob(int index, std::string_view value) {
    sqlite3_bind_blob(stmt_.get(), index, value.data(), static_cast<int>(value.size()),
                      SQLITE_STATIC);
  }
  void BindNull(int index) { sqlite3_bind_null(stmt_.get(), index); }

  // Steps once: true when a row is available, false when done. Errors become false and are
  // reported by the next Exec/Step caller through Database::LastError.
  bool Step() { return sqlite3_step(stmt_.get()) == SQLITE_ROW; }
  // Steps a statement that returns no rows; returns the SQLite result code.
  int Run() { return sqlite3_step(stmt_.get()); }
  // Resets, keeping the bindings: for hot statements that bind every parameter each run.
  void ResetKeepBindings() { sqlite3_reset(stmt_.get()); }
  // Resets and clears bindings so the statement can run again.
  void Reset() {
    sqlite3_reset(stmt_.get());
    sqlite3_clear_bindings(stmt_.get());
  }

  std::int64_t Int(int col) const { return sqlite3_column_int64(stmt_.get(), col); }
  bool IsNull(int col) const { return sqlite3_column_type(stmt_.get(), col) == SQLITE_NULL; }
  // Views valid until the next Step/Reset.
  std::string_view Text(int col) const {
    auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_.get(), col));
    return p ? std::string_view(p, sqlite3_column_bytes(stmt_.get(), col)) : std::string_view();
  }
  std::string_view Blob(int col) const {
    auto* p = static_cast<const char*>(sqlite3_column_blob(stmt_.get(), col));
    return p ? std::string_view(p, sqlite3_column_bytes(stmt_.get(), col)) : std::string_view();
  }

  explicit operator bool() const { return stmt_ != nullptr; }

 private:
  struct Finalizer {
    void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
  };
  std::unique_ptr<sqlite3_stmt, Finalizer> stmt_;
};

// One SQLite connection.
class Database {
 public:
  // Opens (creating when absent) the database at `path`.
  static Result<Database> Open(const std::string& path, bool read_only = false);

  // Runs one or more statements without results.
  Status Exec(std::string_view sql);
  // Prepares one statement (kept: SQLITE_PREPARE_PERSISTENT).
  Result<Statement> Prepare(std::string_view sql);
  // The connection's last error message.
  std::string LastError() const { return sqlite3_errmsg(db_.get()); }
  // A single integer from a query such as "PRAGMA page_count"; 0 on error.
  std::int64_t QueryInt(std::string_view sql);

  sqlite3* get() const { return db_.get(); }

 private:
  struct Closer {
    void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
  };
  std::unique_ptr<sqlite3, Closer> db_;
};

// Resets a statement when the scope ends, so early returns leave it reusable.
class StatementReset {
 public:
  explicit StatementReset(Statement& s) : s_(s) {}
  ~StatementReset() { s_.Reset(); }
  StatementReset(const StatementReset&) = delete;
  StatementReset& operator=(const StatementReset&) = delete;

 private:
  Statement& s_;
};

}  // namespace blogtrace::collector
