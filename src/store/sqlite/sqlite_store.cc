#include "store/sqlite/sqlite_store.h"

#include <filesystem>

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
    // The services put their files under DATA_DIR; create it when this is the first use. A
    // failure here surfaces as the open's own error below.
    const std::filesystem::path parent = std::filesystem::path(options.path).parent_path();
    if (!parent.empty()) {
      std::error_code ignored;
      std::filesystem::create_directories(parent, ignored);
    }
    auto db = SqliteDatabase::Open(options, tracer, clock);
    auto users = std::make_unique<SqliteUserStore>(db);
    auto blogs = std::make_unique<SqliteBlogStore>(db);
    return std::unique_ptr<SqliteStore>(
        new SqliteStore(std::move(db), std::move(users), std::move(blogs)));
  } catch (const sqlite::SqliteError& e) {
    Error error = sqlite::ToError(e, "");
    // Opening happens at start and the message goes to the operator, never to a client: name
    // the file and SQLite's own reason.
    error.message = "cannot open the SQLite database " + options.path + ": " + error.message +
                    " (" + sqlite::SqliteCodeName(e.code()) + ": " + e.what() + ")";
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
