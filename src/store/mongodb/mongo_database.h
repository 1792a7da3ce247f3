// MongoDatabase: what the MongoDB stores share — the client pool, the database name, the write
// options ({w: "majority", j: true}) and what their spans need. Thread-safe.
#pragma once

#include <memory>
#include <string>

#include "common/clock.h"
#include "common/result.h"
#include "store/mongodb/handles.h"
#include "telemetry/api/tracer.h"

namespace blogtrace::store {

class MongoDatabase {
 public:
  // Connects (see OpenMongoStore), pings the server and creates the indexes.
  static Result<std::shared_ptr<MongoDatabase>> Open(const std::string& uri,
                                                     telemetry::Tracer& tracer, const Clock& clock);

  // A client for one call; blocks while the pool is at maxPoolSize.
  mongo::ClientLease Acquire() const noexcept { return mongo::ClientLease(pool_.get()); }
  // The named collection of this database, for a leased client.
  mongo::CollectionPtr Collection(const mongo::ClientLease& client, const char* name) const;
  // Options for writes: the durable write concern.
  const bson_t& write_options() const noexcept { return *write_options_; }
  // db.namespace: the database name.
  const std::string& name() const noexcept { return name_; }
  telemetry::Tracer& tracer() const noexcept { return tracer_; }
  const Clock& clock() const noexcept { return clock_; }

 private:
  MongoDatabase(mongo::PoolPtr pool, std::string name, mongo::BsonPtr write_options,
                telemetry::Tracer& tracer, const Clock& clock);

  mongo::PoolPtr pool_;
  std::string name_;
  mongo::BsonPtr write_options_;
  telemetry::Tracer& tracer_;
  const Clock& clock_;
};

}  // namespace blogtrace::store
