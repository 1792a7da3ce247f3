// The one boundary per SQLite store call: runs the call's body, and turns a SqliteError (or any
// other exception) into a failed span and a contract Error, so nothing throws past the store
// interfaces.
#pragma once

#include <exception>
#include <string_view>

#include "common/result.h"
#include "store/db_span.h"
#include "store/sqlite/sqlite_error.h"

namespace blogtrace::store::sqlite {

// db.system for every SQLite span.
inline constexpr std::string_view kDbSystemSqlite = "sqlite";

// Runs body() -> Result<T>. A unique-constraint failure becomes kConflict(conflict_message).
template <typename T, typename Body>
Result<T> RunDbCall(telemetry::Span& span, std::string_view conflict_message, Body&& body) {
  try {
    return body();
  } catch (const SqliteError& e) {
    SetDbError(span, SqliteCodeName(e.code()), e.what());
    return ToError(e, conflict_message);
  } catch (const std::exception& e) {
    SetDbError(span, "_OTHER", e.what());
    return Error::Internal("database error");
  }
}

}  // namespace blogtrace::store::sqlite
