// The store backends the conformance suite runs against. Each backend owns a fresh, empty
// database for one test and can open it more than once (to check what survives a reopen).
#pragma once

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "common/clock.h"
#include "common/result.h"
#include "store/sqlite/sqlite_store.h"
#include "store/store.h"
#include "telemetry/api/tracer.h"

#ifdef BLOGTRACE_HAVE_MONGODB
#include "store/mongodb/mongo_store.h"
#endif

namespace blogtrace::store::testing {

// A SQLite file in a new temporary directory, removed afterwards.
class SqliteBackend {
 public:
  static constexpr const char* kSystem = "sqlite";
  static constexpr const char* kInsert = "INSERT";
  static constexpr const char* kSelect = "SELECT";

  SqliteBackend() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "blogtrace-store-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) {
      std::abort();
    }
    dir_ = pattern;
  }
  ~SqliteBackend() {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  // Why the backend cannot run here, or nullopt.
  std::optional<std::string> SkipReason() const { return std::nullopt; }
  // Opens the backend's database (the same one on every call).
  Result<std::unique_ptr<Store>> Open(telemetry::Tracer& tracer, const Clock& clock) const {
    auto store = OpenSqliteStore(path(), tracer, clock);
    if (!store.ok()) {
      return std::move(store).error();
    }
    return std::unique_ptr<Store>(std::move(store).value());
  }
  // The expected db.namespace.
  std::string Namespace() const { return "test.db"; }
  std::string path() const { return (dir_ / "test.db").string(); }

 private:
  std::filesystem::path dir_;
};

#ifdef BLOGTRACE_HAVE_MONGODB
// A fresh database with a random name on the server at MONGODB_TEST_URI (default
// mongodb://127.0.0.1:27017), dropped afterwards. Skips when no server answers.
class MongoBackend {
 public:
  static constexpr const char* kSystem = "mongodb";
  static constexpr const char* kInsert = "insert";
  static constexpr const char* kSelect = "find";

  MongoBackend();
  ~MongoBackend();

  std::optional<std::string> SkipReason() const { return skip_reason_; }
  Result<std::unique_ptr<Store>> Open(telemetry::Tracer& tracer, const Clock& clock) const {
    auto store = OpenMongoStore(uri_, tracer, clock);
    if (!store.ok()) {
      return std::move(store).error();
    }
    return std::unique_ptr<Store>(std::move(store).value());
  }
  std::string Namespace() const { return database_; }

 private:
  std::string server_;    // the server URI without a database
  std::string database_;  // this test's database
  std::string uri_;       // server_ + "/" + database_ (+ options)
  std::optional<std::string> skip_reason_;
};
#endif

}  // namespace blogtrace::store::testing
