#include "store/sqlite/sqlite_store.h"

#include "store/sqlite/sqlite_blog_store.h"
#include "store/sqlite/sqlite_database.h"
#include "store/sqlite/sqlite_error.h"
#include "store/sqlite/sqlite_user_store.h"

namespace blogtrace::store {

SqliteStore::SqliteStore(std::shared_ptr<SqliteDatabase> db, std::unique_ptr<UserStore> users,
                         std::unique_ptr<BlogStore> blogs)
    : db_(std::move(db)), users_(std::move(users)), blogs_(std::move(blogs)) {}

SqliteStore::~SqliteStore() = default;

Result<std::unique_ptr<SqliteStore>> OpenSqliteStore(const SqliteOptions& options,
                                                     telemetry::Tracer& tracer,
                                                     const Clock& clock) {
  try {
    auto db = SqliteDatabase::Open(options, tracer, clock);
    auto users = std::make_unique<SqliteUserStore>(db);
    auto blogs = std::make_unique<SqliteBlogStore>(db);
    return std::unique_ptr<SqliteStore>(
        new SqliteStore(std::move(db), std::move(users), std::move(blogs)));
  } catch (const sqlite::SqliteError& e) {
    Error error = sqlite::ToError(e, "");
    // Opening happens at start, before any client sees a message: say which code failed.
    error.message += " (" + sqlite::SqliteCodeName(e.code()) + ": " + e.what() + ")";
    return error;
  } catch (const std::exception& e) {
    return Error::Internal(std::string("cannot open the database: ") + e.what());
  }
}

Result<std::unique_ptr<SqliteStore>> OpenSqliteStore(std::string path, telemetry::Tracer& tracer,
                                                     const Clock& clock) {
  SqliteOptions options;
  options.path = std::move(path);
  return OpenSqliteStore(options, tracer, clock);
}

}  // namespace blogtrace::store
