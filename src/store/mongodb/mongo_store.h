// MongoDB implementation of UserStore and BlogStore (libmongoc).
//
// A mongoc_client_pool (thread-safe) serves concurrent callers; each call pops a client for its
// duration. Writes use write concern {w: "majority", j: true}, so a successful Create is durable
// (journaled on a majority). usernames are unique through a unique index on a lower-cased copy
// (`username_key`); blogs have an index on {created_at: -1, _id: -1} for listing. Server selection
// times out after 2 s unless the URI says otherwise, so a missing server gives kUnavailable fast.
//
// Spans follow the MongoDB semantic conventions: db.operation.name is the command ("insert",
// "find"), so spans are named "insert users", "find users", "insert blogs", "find blogs";
// db.query.text is the command's shape with every value replaced by "?".
//
// Documents: users {_id, username, username_key, password_hash, permission, created_at (date)},
// blogs {_id, title, content, author_id, author, created_at (date)}; _id is the store's UUIDv7
// string (see store/id.h).
#pragma once

#include <memory>
#include <string>

#include "common/clock.h"
#include "common/result.h"
#include "store/store.h"
#include "telemetry/api/tracer.h"

namespace blogtrace::store {

class MongoDatabase;

// Owns the client pool and the two stores over it. Thread-safe. The tracer and the clock must
// outlive the store; the references returned by users() and blogs() live as long as it.
class MongoStore final : public Store {
 public:
  ~MongoStore() override;
  MongoStore(const MongoStore&) = delete;
  MongoStore& operator=(const MongoStore&) = delete;

  // The users collection.
  UserStore& users() noexcept override { return *users_; }
  // The blogs collection.
  BlogStore& blogs() noexcept override { return *blogs_; }

 private:
  friend Result<std::unique_ptr<MongoStore>> OpenMongoStore(const std::string&, telemetry::Tracer&,
                                                            const Clock&);
  MongoStore(std::shared_ptr<MongoDatabase> db, std::unique_ptr<UserStore> users,
             std::unique_ptr<BlogStore> blogs);

  std::shared_ptr<MongoDatabase> db_;
  std::unique_ptr<UserStore> users_;
  std::unique_ptr<BlogStore> blogs_;
};

// Connects to `uri` (e.g. "mongodb://127.0.0.1:27017/blog"; the database is the URI's, "blog"
// when it names none), checks the server answers a ping, and creates the indexes. kBadRequest for
// a malformed URI, kUnavailable when no server answers within the selection timeout.
Result<std::unique_ptr<MongoStore>> OpenMongoStore(const std::string& uri,
                                                   telemetry::Tracer& tracer,
                                                   const Clock& clock = SystemClock::Instance());

}  // namespace blogtrace::store
