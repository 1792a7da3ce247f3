#include "store/sqlite/connection.h"

#include <sqlite3.h>

#include <climits>

#include "store/sqlite/sqlite_error.h"

namespace blogtrace::store::sqlite {

Statement::~Statement() {
  if (stmt_ != nullptr) {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
}

void Statement::BindText(int index, std::string_view text) {
  if (text.size() > static_cast<std::size_t>(INT_MAX)) {
    throw SqliteError(SQLITE_TOOBIG, "text parameter too large");
  }
  const int rc =
      sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_STATIC);
  if (rc != SQLITE_OK) {
    ThrowSqlite(sqlite3_db_handle(stmt_), rc, "bind");
  }
}

void Statement::BindInt64(int index, std::int64_t value) {
  const int rc = sqlite3_bind_int64(stmt_, index, value);
  if (rc != SQLITE_OK) {
    ThrowSqlite(sqlite3_db_handle(stmt_), rc, "bind");
  }
}

bool Statement::Step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) {
    return true;
  }
  if (rc == SQLITE_DONE) {
    return false;
  }
  // With sqlite3_prepare_v3 the step's own (extended) code is returned directly.
  ThrowSqlite(sqlite3_db_handle(stmt_), sqlite3_extended_errcode(sqlite3_db_handle(stmt_)), "step");
}

void Statement::Run() {
  while (Step()) {
  }
}

std::string Statement::ColumnText(int column) const {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  const int size = sqlite3_column_bytes(stmt_, column);
  if (text == nullptr) {
    return {};
  }
  return std::string(text, static_cast<std::size_t>(size));
}

std::int64_t Statement::ColumnInt64(int column) const {
  return sqlite3_column_int64(stmt_, column);
}

void Connection::StatementDeleter::operator()(sqlite3_stmt* stmt) const noexcept {
  sqlite3_finalize(stmt);
}

std::unique_ptr<Connection> Connection::Open(const std::string& path,
                                             std::chrono::milliseconds busy_timeout) {
  sqlite3* raw = nullptr;
  const int rc =
      sqlite3_open_v2(path.c_str(), &raw,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  // sqlite3_open_v2 allocates a handle even on failure; the owner closes it either way.
  std::unique_ptr<Connection> connection(new Connection(raw));
  if (rc != SQLITE_OK) {
    ThrowSqlite(raw, rc, "open");
  }
  sqlite3_extended_result_codes(raw, 1);
  sqlite3_busy_timeout(raw, static_cast<int>(busy_timeout.count()));
  // journal_mode=WAL is persistent in the file; the rest are per connection. With WAL,
  // synchronous=FULL syncs the log on every commit: a commit survives power loss, not just a
  // process crash (NORMAL only guarantees the latter).
  if (connection->QueryText("PRAGMA journal_mode=WAL") != "wal") {
    throw SqliteError(SQLITE_CANTOPEN, "open: the database cannot use WAL journaling");
  }
  connection->Exec("PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;");
  return connection;
}

Connection::~Connection() {
  cache_.clear();  // statements must be finalized before the connection closes
  sqlite3_close_v2(db_);
}

void Connection::Exec(const char* sql) {
  char* message = nullptr;
  const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &message);
  sqlite3_free(message);
  if (rc != SQLITE_OK) {
    ThrowSqlite(db_, sqlite3_extended_errcode(db_), "exec");
  }
}

Statement Connection::Prepare(const char* sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) {
    sqlite3_stmt* raw = nullptr;
    const int rc = sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &raw, nullptr);
    std::unique_ptr<sqlite3_stmt, StatementDeleter> stmt(raw);
    if (rc != SQLITE_OK) {
      ThrowSqlite(db_, rc, "prepare");
    }
    it = cache_.emplace(sql, std::move(stmt)).first;
  }
  return Statement(it->second.get());
}

std::int64_t Connection::QueryInt64(const char* sql) {
  sqlite3_stmt* raw = nullptr;
  const int rc = sqlite3_prepare_v2(db_, sql, -1, &raw, nullptr);
  std::unique_ptr<sqlite3_stmt, StatementDeleter> owner(raw);
  if (rc != SQLITE_OK) {
    ThrowSqlite(db_, rc, "prepare");
  }
  Statement stmt(raw);
  return stmt.Step() ? stmt.ColumnInt64(0) : 0;
}

std::string Connection::QueryText(const char* sql) {
  sqlite3_stmt* raw = nullptr;
  const int rc = sqlite3_prepare_v2(db_, sql, -1, &raw, nullptr);
  std::unique_ptr<sqlite3_stmt, StatementDeleter> owner(raw);
  if (rc != SQLITE_OK) {
    ThrowSqlite(db_, rc, "prepare");
  }
  Statement stmt(raw);
  return stmt.Step() ? stmt.ColumnText(0) : std::string();
}

std::int64_t Connection::Changes() const noexcept { return sqlite3_changes64(db_); }

Transaction::Transaction(Connection& connection, Mode mode) : connection_(connection) {
  connection_.Exec(mode == Mode::kImmediate ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED");
}

Transaction::~Transaction() {
  if (!done_) {
    try {
      connection_.Exec("ROLLBACK");
    } catch (...) {
      // Nothing to undo: SQLite already rolled back (e.g. after SQLITE_FULL).
    }
  }
}

void Transaction::Commit() {
  connection_.Exec("COMMIT");
  done_ = true;
}

}  // namespace blogtrace::store::sqlite
