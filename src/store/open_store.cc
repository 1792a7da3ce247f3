#include "store/open_store.h"

#include "store/sqlite/sqlite_store.h"

#ifdef BLOGTRACE_HAVE_MONGODB
#include "store/mongodb/mongo_store.h"
#endif

namespace blogtrace::store {

Result<std::unique_ptr<Store>> OpenStore(const StoreLocation& location, telemetry::Tracer& tracer,
                                         const Clock& clock) {
  switch (location.kind) {
    case StoreKind::kSqlite: {
      auto store = OpenSqliteStore(location.sqlite_path, tracer, clock);
      if (!store.ok()) {
        return std::move(store).error();
      }
      return std::unique_ptr<Store>(std::move(store).value());
    }
    case StoreKind::kMongoDb: {
#ifdef BLOGTRACE_HAVE_MONGODB
      auto store = OpenMongoStore(location.mongodb_uri, tracer, clock);
      if (!store.ok()) {
        return std::move(store).error();
      }
      return std::unique_ptr<Store>(std::move(store).value());
#else
      return Error::Internal("STORE=mongodb, but this build has no MongoDB support (libmongoc)");
#endif
    }
  }
  return Error::Internal("unknown store kind");
}

bool MongoDbSupported() noexcept {
#ifdef BLOGTRACE_HAVE_MONGODB
  return true;
#else
  return false;
#endif
}

}  // namespace blogtrace::store
