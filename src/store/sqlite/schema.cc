#include "store/sqlite/schema.h"

#include <sqlite3.h>

#include <array>
#include <string>

#include "store/sqlite/sqlite_error.h"

namespace blogtrace::store::sqlite {
namespace {

// Times are epoch milliseconds (UTC). username_key is the ASCII-lower-cased username: its
// UNIQUE constraint makes "Alice" and "alice" the same user while `username` keeps the name as
// given. The blogs index serves "newest first, then by id" listing. Both tables live in every
// file so a file may serve the user service, the blog service or both.
//
// Version 2: blog_count holds the number of rows of `blogs`, so a list's `total` costs one row
// read instead of a count over every blog. The triggers keep it in the same transaction as each
// insert or delete, whoever writes (this program, the sqlite3 shell); the migration counts the
// rows already there once.
constexpr std::array<const char*, 2> kMigrations = {
    R"sql(
CREATE TABLE users (
  id            TEXT PRIMARY KEY NOT NULL,
  username      TEXT NOT NULL,
  username_key  TEXT NOT NULL UNIQUE,
  password_hash TEXT NOT NULL,
  permission    TEXT NOT NULL CHECK (permission IN ('READ', 'WRITE')),
  created_at    INTEGER NOT NULL
) STRICT;
CREATE TABLE blogs (
  id         TEXT PRIMARY KEY NOT NULL,
  title      TEXT NOT NULL,
  content    TEXT NOT NULL,
  author_id  TEXT NOT NULL,
  author     TEXT NOT NULL,
  created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX blogs_by_created_at_id ON blogs (created_at DESC, id DESC);
)sql",
    R"sql(
CREATE TABLE blog_count (
  id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
  n  INTEGER NOT NULL
) STRICT;
INSERT INTO blog_count (id, n) SELECT 1, count(*) FROM blogs;
CREATE TRIGGER blogs_count_insert AFTER INSERT ON blogs BEGIN
  UPDATE blog_count SET n = n + 1 WHERE id = 1;
END;
CREATE TRIGGER blogs_count_delete AFTER DELETE ON blogs BEGIN
  UPDATE blog_count SET n = n - 1 WHERE id = 1;
END;
)sql",
};

}  // namespace

std::span<const char* const> Migrations() noexcept { return kMigrations; }

void Migrate(Connection& connection) {
  Transaction transaction(connection, Transaction::Mode::kImmediate);
  const std::int64_t version = connection.QueryInt64("PRAGMA user_version");
  const auto known = static_cast<std::int64_t>(kMigrations.size());
  if (version > known) {
    throw SqliteError(SQLITE_ERROR, "database schema version " + std::to_string(version) +
                                        " is newer than this program's " + std::to_string(known));
  }
  if (version == known) {
    return;  // the transaction rolls back: nothing was changed
  }
  for (std::int64_t i = version; i < known; ++i) {
    connection.Exec(kMigrations[static_cast<std::size_t>(i)]);
  }
  // PRAGMA takes no parameters; the value is our own integer.
  connection.Exec(("PRAGMA user_version = " + std::to_string(known)).c_str());
  transaction.Commit();
}

}  // namespace blogtrace::store::sqlite
