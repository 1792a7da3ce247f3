// BlogStore over SQLite (the `blogs` table). Thread-safe; see blog_store.h for the contract.
#pragma once

#include <memory>

#include "store/blog_store.h"
#include "store/sqlite/sqlite_database.h"

namespace blogtrace::store {

class SqliteBlogStore final : public BlogStore {
 public:
  explicit SqliteBlogStore(std::shared_ptr<SqliteDatabase> db) : db_(std::move(db)) {}

  Result<Blog> Create(const telemetry::Context& ctx, const NewBlog& blog) override;
  Result<std::int64_t> CreateMany(const telemetry::Context& ctx,
                                  std::span<const NewBlog> blogs) override;
  Result<Blog> FindById(const telemetry::Context& ctx, std::string_view id) override;
  Result<BlogPage> List(const telemetry::Context& ctx, int limit, int offset) override;
  Result<BlogPage> ListAfter(const telemetry::Context& ctx, int limit,
                             const BlogKey& after) override;

 private:
  std::shared_ptr<SqliteDatabase> db_;
};

}  // namespace blogtrace::store
