// Helpers shared by the MongoDB stores: the span description of a call and the conversion of a
// libmongoc failure into a failed span and a contract Error.
#pragma once

#include <exception>
#include <string_view>

#include "common/result.h"
#include "store/db_span.h"
#include "store/mongodb/mongo_error.h"

namespace blogtrace::store::mongo {

// db.system for every MongoDB span.
inline constexpr std::string_view kDbSystemMongo = "mongodb";

// Records `error` on the span and returns the contract error.
inline Error Fail(telemetry::Span& span, const bson_error_t& error,
                  std::string_view conflict_message) {
  SetDbError(span, ErrorType(error), error.message);
  return ToError(error, conflict_message);
}

// Runs body() -> Result<T>; an exception (allocation failure) becomes kInternal on the span, so
// nothing throws past the store interfaces.
template <typename T, typename Body>
Result<T> RunMongoCall(telemetry::Span& span, Body&& body) {
  try {
    return body();
  } catch (const std::exception& e) {
    SetDbError(span, "_OTHER", e.what());
    return Error::Internal("database error");
  }
}

}  // namespace blogtrace::store::mongo
