#include "store/sqlite/sqlite_database.h"

#include <sqlite3.h>

#include "store/sqlite/schema.h"
#include "store/sqlite/sqlite_error.h"

namespace blogtrace::store {

std::shared_ptr<SqliteDatabase> SqliteDatabase::Open(const SqliteOptions& options,
                                                     telemetry::Tracer& tracer,
                                                     const Clock& clock) {
  if (sqlite3_threadsafe() == 0) {
    throw sqlite::SqliteError(SQLITE_MISUSE, "SQLite was built without thread support");
  }
  std::vector<std::unique_ptr<sqlite::Connection>> connections;
  const int size = options.pool_size < 1 ? 1 : options.pool_size;
  connections.reserve(static_cast<std::size_t>(size));
  connections.push_back(sqlite::Connection::Open(options.path, options.busy_timeout));
  sqlite::Migrate(*connections.front());
  for (int i = 1; i < size; ++i) {
    connections.push_back(sqlite::Connection::Open(options.path, options.busy_timeout));
  }
  const auto slash = options.path.find_last_of('/');
  std::string name = slash == std::string::npos ? options.path : options.path.substr(slash + 1);
  return std::shared_ptr<SqliteDatabase>(
      new SqliteDatabase(std::move(connections), std::move(name), tracer, clock));
}

SqliteDatabase::SqliteDatabase(std::vector<std::unique_ptr<sqlite::Connection>> connections,
                               std::string name, telemetry::Tracer& tracer, const Clock& clock)
    : pool_(std::move(connections)), name_(std::move(name)), tracer_(tracer), clock_(clock) {}

}  // namespace blogtrace::store
