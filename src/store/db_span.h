// Database CLIENT spans for the store backends, written once so every backend names and
// describes its calls the same way (OpenTelemetry database semantic conventions).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "telemetry/api/context.h"
#include "telemetry/api/span.h"
#include "telemetry/api/tracer.h"

namespace blogtrace::store {

// What one database call does, for its span. Query text never holds values.
struct DbCall {
  std::string_view system;        // db.system: "sqlite" | "mongodb"
  std::string_view operation;     // db.operation.name: "INSERT", "SELECT", "insert", "find"
  std::string_view collection;    // db.collection.name: "users" | "blogs"
  std::string_view db_namespace;  // db.namespace: the database file name or MongoDB database
  std::string_view query_text;    // db.query.text: SQL with ? placeholders, or a query shape
};

// Starts the CLIENT span "<operation> <collection>" as a child of `parent`.
telemetry::Span StartDbSpan(telemetry::Tracer& tracer, const telemetry::Context& parent,
                            const DbCall& call) noexcept;

// Records how many rows (documents) the call returned (db.response.returned_rows).
void SetReturnedRows(telemetry::Span& span, std::int64_t rows) noexcept;

// Marks the span failed: status ERROR, error.type = `error_type` (the database's own code, e.g.
// "SQLITE_CONSTRAINT_UNIQUE" or "11000"), and the description.
void SetDbError(telemetry::Span& span, std::string_view error_type,
                std::string_view description) noexcept;

}  // namespace blogtrace::store
