// The SQLite schema as an ordered list of migrations; PRAGMA user_version records how many have
// been applied. Migrations are only ever appended, never edited.
#pragma once

#include <span>

#include "store/sqlite/connection.h"

namespace blogtrace::store::sqlite {

// The migrations, oldest first; migration i brings user_version from i to i + 1.
std::span<const char* const> Migrations() noexcept;

// Applies the missing migrations in one IMMEDIATE transaction (so two processes opening the
// same new file at once migrate it once). Idempotent. Throws SqliteError; fails with
// SQLITE_ERROR when the file's schema is newer than this program knows.
void Migrate(Connection& connection);

}  // namespace blogtrace::store::sqlite
