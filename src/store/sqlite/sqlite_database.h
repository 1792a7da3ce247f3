// SqliteDatabase: what the SQLite stores share — the connection pool, the in-process write lock,
// and what their spans say about the database. Thread-safe.
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "common/clock.h"
#include "store/sqlite/connection_pool.h"
#include "store/sqlite/sqlite_store.h"
#include "telemetry/api/tracer.h"

namespace blogtrace::store {

class SqliteDatabase {
 public:
  // Opens options.pool_size connections and migrates the schema. Throws sqlite::SqliteError.
  static std::shared_ptr<SqliteDatabase> Open(const SqliteOptions& options,
                                              telemetry::Tracer& tracer, const Clock& clock);

  // A connection for one call; blocks while all are leased.
  sqlite::ConnectionPool::Lease Acquire() { return pool_.Acquire(); }
  // Held around every write in this process: SQLite admits one writer at a time anyway, and
  // queueing here is fairer and faster than the busy handler's sleep-and-retry. Other processes
  // are still arbitrated by busy_timeout.
  std::mutex& write_mutex() noexcept { return write_mutex_; }
  // db.namespace: the database file's name (without its directory).
  const std::string& name() const noexcept { return name_; }
  telemetry::Tracer& tracer() const noexcept { return tracer_; }
  const Clock& clock() const noexcept { return clock_; }

 private:
  SqliteDatabase(std::vector<std::unique_ptr<sqlite::Connection>> connections, std::string name,
                 telemetry::Tracer& tracer, const Clock& clock);

  sqlite::ConnectionPool pool_;
  std::mutex write_mutex_;
  std::string name_;
  telemetry::Tracer& tracer_;
  const Clock& clock_;
};

}  // namespace blogtrace::store
