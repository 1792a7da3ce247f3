// RAII owners for one SQLite connection, its cached prepared statements and its transactions.
// Every wrapper throws SqliteError on failure (see sqlite_error.h).
//
// Thread safety: a Connection and everything borrowed from it is used by one thread at a time
// (the ConnectionPool hands each connection to one caller); the library runs in multi-thread mode
// (SQLITE_OPEN_NOMUTEX) accordingly.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

struct sqlite3;
struct sqlite3_stmt;

namespace blogtrace::store::sqlite {

// A prepared statement borrowed from a Connection's cache. Binds parameters, steps through rows,
// and on destruction resets the statement and clears its bindings (ending any implicit read
// transaction it held), so the cache can hand it out again. Move-only.
class Statement {
 public:
  explicit Statement(sqlite3_stmt* stmt) noexcept : stmt_(stmt) {}
  Statement(Statement&& other) noexcept : stmt_(other.stmt_) { other.stmt_ = nullptr; }
  Statement& operator=(Statement&&) = delete;
  Statement(const Statement&) = delete;
  ~Statement();

  // Binds parameter `index` (1-based). Text is bound without a copy: it must stay alive until
  // the statement is done (the Statement's scope).
  void BindText(int index, std::string_view text);
  void BindInt64(int index, std::int64_t value);

  // Steps once: true when a row is available, false when done.
  bool Step();
  // Steps a statement that returns no rows.
  void Run();

  // Column accessors for the current row (0-based).
  std::string ColumnText(int column) const;
  std::int64_t ColumnInt64(int column) const;

 private:
  sqlite3_stmt* stmt_;
};

// One open database connection with its prepared-statement cache. Not thread-safe.
class Connection {
 public:
  // Opens (creating when absent) the file and applies the per-connection settings: WAL,
  // synchronous=FULL, foreign_keys=ON, busy_timeout.
  static std::unique_ptr<Connection> Open(const std::string& path,
                                          std::chrono::milliseconds busy_timeout);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs one or more statements that return no rows (DDL, PRAGMA, BEGIN, COMMIT).
  void Exec(const char* sql);
  // The cached prepared statement for `sql`, compiled on first use. `sql` must have static
  // storage (a string literal or constant): the cache keys on its address, so lookups allocate
  // nothing. At most one Statement per `sql` may be alive at a time on a connection.
  Statement Prepare(const char* sql);
  // Runs a single-value query such as "PRAGMA user_version".
  std::int64_t QueryInt64(const char* sql);
  // Runs a single-value query returning text, such as "PRAGMA journal_mode=WAL".
  std::string QueryText(const char* sql);
  // Rows changed by the last INSERT/UPDATE/DELETE.
  std::int64_t Changes() const noexcept;

 private:
  explicit Connection(sqlite3* db) noexcept : db_(db) {}

  struct StatementDeleter {
    void operator()(sqlite3_stmt* stmt) const noexcept;
  };

  sqlite3* db_;
  std::unordered_map<const char*, std::unique_ptr<sqlite3_stmt, StatementDeleter>> cache_;
};

// A transaction on a connection: BEGIN (DEFERRED for reads, IMMEDIATE for writes, which takes
// the write lock up front so the transaction cannot fail half-way with SQLITE_BUSY) at
// construction, ROLLBACK at destruction unless Commit() succeeded — on every early exit,
// exceptions included.
class Transaction {
 public:
  enum class Mode { kDeferred, kImmediate };
  Transaction(Connection& connection, Mode mode);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  // Commits; after a failure the destructor rolls back.
  void Commit();

 private:
  Connection& connection_;
  bool done_ = false;
};

}  // namespace blogtrace::store::sqlite
