// OpenStore: picks the backend the configuration names (STORE=sqlite|mongodb). Lives in its own
// target, blogtrace_store_open, which links every backend that was built; MongoDB support is
// compiled in only when libmongoc was found (otherwise STORE=mongodb gives a clear error).
#pragma once

#include <memory>
#include <string>

#include "common/clock.h"
#include "common/config.h"
#include "common/result.h"
#include "store/store.h"
#include "telemetry/api/tracer.h"

namespace blogtrace::store {

// Where a backend lives.
struct StoreLocation {
  StoreKind kind = StoreKind::kSqlite;
  std::string sqlite_path;  // used when kind == kSqlite, e.g. DATA_DIR/users.db
  std::string mongodb_uri;  // used when kind == kMongoDb (SystemConfig::mongodb_uri)
};

// Opens the backend. The tracer and clock must outlive the returned store.
Result<std::unique_ptr<Store>> OpenStore(const StoreLocation& location, telemetry::Tracer& tracer,
                                         const Clock& clock = SystemClock::Instance());

// Whether this build has MongoDB support.
bool MongoDbSupported() noexcept;

}  // namespace blogtrace::store
