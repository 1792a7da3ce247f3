#include "store/sqlite/sqlite_user_store.h"

#include "store/id.h"
#include "store/sqlite/db_call.h"
#include "store/time_format.h"
#include "store/username.h"

namespace blogtrace::store {
namespace {

using sqlite::RunDbCall;

constexpr const char* kInsert =
    "INSERT INTO users (id, username, username_key, password_hash, permission, created_at) "
    "VALUES (?, ?, ?, ?, ?, ?)";
constexpr const char* kSelectById =
    "SELECT id, username, password_hash, permission, created_at FROM users WHERE id = ?";
constexpr const char* kSelectByKey =
    "SELECT id, username, password_hash, permission, created_at FROM users "
    "WHERE username_key = ?";

DbCall Call(const SqliteDatabase& db, std::string_view operation, const char* sql) {
  return {sqlite::kDbSystemSqlite, operation, "users", db.name(), sql};
}

// Reads the row the statement stands on (columns as in kSelectById).
User ReadUser(const sqlite::Statement& stmt) {
  User user;
  user.id = stmt.ColumnText(0);
  user.username = stmt.ColumnText(1);
  user.password_hash = stmt.ColumnText(2);
  const auto permission = ParsePermission(stmt.ColumnText(3));
  // The CHECK constraint admits only READ and WRITE.
  user.permission = permission.value_or(Permission::kRead);
  user.created_at = Timestamp(std::chrono::milliseconds(stmt.ColumnInt64(4)));
  return user;
}

// Runs a single-row user query on `value`.
Result<User> FindOne(SqliteDatabase& db, const telemetry::Context& ctx, const char* sql,
                     std::string_view value) {
  telemetry::Span span = StartDbSpan(db.tracer(), ctx, Call(db, "SELECT", sql));
  return RunDbCall<User>(span, "", [&]() -> Result<User> {
    auto connection = db.Acquire();
    auto stmt = connection->Prepare(sql);
    stmt.BindText(1, value);
    if (!stmt.Step()) {
      SetReturnedRows(span, 0);
      return Error::NotFound("user not found");
    }
    SetReturnedRows(span, 1);
    return ReadUser(stmt);
  });
}

}  // namespace

Result<User> SqliteUserStore::Create(const telemetry::Context& ctx, const NewUser& new_user) {
  telemetry::Span span = StartDbSpan(db_->tracer(), ctx, Call(*db_, "INSERT", kInsert));
  return RunDbCall<User>(span, "a user with this username exists", [&]() -> Result<User> {
    User user;
    user.created_at = TruncateToMillis(db_->clock().Now());
    user.id = NewId(user.created_at);
    user.username = new_user.username;
    user.password_hash = new_user.password_hash;
    user.permission = new_user.permission;
    const std::string key = UsernameKey(user.username);
    std::lock_guard write_lock(db_->write_mutex());
    auto connection = db_->Acquire();
    auto stmt = connection->Prepare(kInsert);
    stmt.BindText(1, user.id);
    stmt.BindText(2, user.username);
    stmt.BindText(3, key);
    stmt.BindText(4, user.password_hash);
    stmt.BindText(5, PermissionName(user.permission));
    stmt.BindInt64(
        6, std::chrono::duration_cast<std::chrono::milliseconds>(user.created_at.time_since_epoch())
               .count());
    stmt.Run();
    return user;
  });
}

Result<User> SqliteUserStore::FindById(const telemetry::Context& ctx, std::string_view id) {
  return FindOne(*db_, ctx, kSelectById, id);
}

Result<User> SqliteUserStore::FindByUsername(const telemetry::Context& ctx,
                                             std::string_view username) {
  const std::string key = UsernameKey(username);
  return FindOne(*db_, ctx, kSelectByKey, key);
}

}  // namespace blogtrace::store
