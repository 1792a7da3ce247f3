// UserStore: where the user service keeps its users.
//
// Contract for every implementation:
// - Thread safety: all methods may be called concurrently from any number of threads.
// - Blocking: calls are synchronous and may block briefly (a local SQLite commit with fsync, a
//   round trip to MongoDB). Callers on an event loop (coroutines) either accept that pause or
//   run the call on a thread pool; the store does not care which thread calls it.
// - Tracing: every call starts one database CLIENT span, a child of `ctx`, named
//   "<db.operation.name> <db.collection.name>" (e.g. "INSERT users"), with the database
//   semantic-convention attributes; a failed call marks the span ERROR with error.type.
// - Errors: kNotFound, kConflict as stated below; kUnavailable when the database cannot be
//   reached or stays locked beyond its timeout; kInternal for anything else. Messages never hold
//   paths, values or credentials.
#pragma once

#include <string_view>

#include "common/result.h"
#include "store/model.h"
#include "telemetry/api/context.h"

namespace blogtrace::store {

// Users, keyed by id and by username without regard to ASCII case.
class UserStore {
 public:
  virtual ~UserStore() = default;

  // Creates a user with a new id and created_at = now. kConflict when a user with the same
  // username compared without regard to ASCII case exists ("Alice" vs "alice"); the name is
  // kept as given. Exactly one of several concurrent creates of the same name succeeds.
  virtual Result<User> Create(const telemetry::Context& ctx, const NewUser& user) = 0;

  // The user with this id, or kNotFound.
  virtual Result<User> FindById(const telemetry::Context& ctx, std::string_view id) = 0;

  // The user whose username equals `username` without regard to ASCII case, or kNotFound.
  virtual Result<User> FindByUsername(const telemetry::Context& ctx, std::string_view username) = 0;
};

}  // namespace blogtrace::store
