// SQLite implementation of UserStore and BlogStore over one database file.
//
// The file is opened in WAL mode with synchronous=FULL: with WAL, FULL fsyncs the log on every
// commit, so a committed row survives a crash or power loss (NORMAL would only survive a process
// crash). The schema is created or migrated at open (PRAGMA user_version). A small pool of
// connections, each with its own prepared-statement cache, serves concurrent callers; writes
// within this process are serialised by a mutex, and other processes sharing the file wait up to
// `busy_timeout` before a call fails with kUnavailable.
//
// The user and blog services are separate processes; give each its own file (DATA_DIR/users.db,
// DATA_DIR/blogs.db). Sharing one file also works (WAL allows several processes).
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "common/clock.h"
#include "common/result.h"
#include "store/store.h"
#include "telemetry/api/tracer.h"

namespace blogtrace::store {

// How to open a SQLite store.
struct SqliteOptions {
  std::string path;  // the database file; created with its schema when absent
  // Connections in the pool: the most calls that run at once in this process.
  int pool_size = 4;
  // How long a call waits for a lock held by another process before failing with kUnavailable.
  std::chrono::milliseconds busy_timeout{5000};
};

class SqliteDatabase;

// Owns the connection pool and the two stores over it. Thread-safe. The tracer and the clock must
// outlive the store; the references returned by users() and blogs() live as long as it.
class SqliteStore final : public Store {
 public:
  ~SqliteStore() override;
  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;

  // The users table.
  UserStore& users() noexcept override { return *users_; }
  // The blogs table.
  BlogStore& blogs() noexcept override { return *blogs_; }

 private:
  friend Result<std::unique_ptr<SqliteStore>> OpenSqliteStore(const SqliteOptions&,
                                                              telemetry::Tracer&, const Clock&);
  SqliteStore(std::shared_ptr<SqliteDatabase> db, std::unique_ptr<UserStore> users,
              std::unique_ptr<BlogStore> blogs);

  std::shared_ptr<SqliteDatabase> db_;
  std::unique_ptr<UserStore> users_;
  std::unique_ptr<BlogStore> blogs_;
};

// Opens (creating it and its directory when absent) the database at options.path, sets WAL,
// synchronous=FULL, foreign_keys and busy_timeout, and migrates the schema. kUnavailable when the
// file cannot be opened or stays locked; kInternal when it is not a database this code understands.
// Error messages name the file: they are meant for the operator at start.
Result<std::unique_ptr<SqliteStore>> OpenSqliteStore(const SqliteOptions& options,
                                                     telemetry::Tracer& tracer,
                                                     const Clock& clock = SystemClock::Instance());

// Shorthand: OpenSqliteStore({.path = path}, tracer, clock).
Result<std::unique_ptr<SqliteStore>> OpenSqliteStore(std::string path, telemetry::Tracer& tracer,
                                                     const Clock& clock = SystemClock::Instance());

}  // namespace blogtrace::store
