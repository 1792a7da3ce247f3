// UserStore over SQLite (the `users` table). Thread-safe; see user_store.h for the contract.
#pragma once

#include <memory>

#include "store/sqlite/sqlite_database.h"
#include "store/user_store.h"

namespace blogtrace::store {

class SqliteUserStore final : public UserStore {
 public:
  explicit SqliteUserStore(std::shared_ptr<SqliteDatabase> db) : db_(std::move(db)) {}

  Result<User> Create(const telemetry::Context& ctx, const NewUser& user) override;
  Result<User> FindById(const telemetry::Context& ctx, std::string_view id) override;
  Result<User> FindByUsername(const telemetry::Context& ctx, std::string_view username) override;

 private:
  std::shared_ptr<SqliteDatabase> db_;
};

}  // namespace blogtrace::store
