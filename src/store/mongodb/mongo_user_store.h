// UserStore over MongoDB (the `users` collection). Thread-safe; see user_store.h.
#pragma once

#include <memory>

#include "store/mongodb/mongo_database.h"
#include "store/user_store.h"

namespace blogtrace::store {

class MongoUserStore final : public UserStore {
 public:
  explicit MongoUserStore(std::shared_ptr<MongoDatabase> db) : db_(std::move(db)) {}

  Result<User> Create(const telemetry::Context& ctx, const NewUser& user) override;
  Result<User> FindById(const telemetry::Context& ctx, std::string_view id) override;
  Result<User> FindByUsername(const telemetry::Context& ctx, std::string_view username) override;

 private:
  // Finds the one user whose `field` equals `value`.
  Result<User> FindOne(const telemetry::Context& ctx, const char* field, std::string_view value,
                       std::string_view query_text);

  std::shared_ptr<MongoDatabase> db_;
};

}  // namespace blogtrace::store
