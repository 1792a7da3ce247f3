// BlogStore over MongoDB (the `blogs` collection). Thread-safe; see blog_store.h. List's total
// and page come from two commands (count, then find), so a blog created in between may be
// counted but not listed on that page; ordering and paging are otherwise as the contract says.
#pragma once

#include <memory>

#include "store/blog_store.h"
#include "store/mongodb/mongo_database.h"

namespace blogtrace::store {

class MongoBlogStore final : public BlogStore {
 public:
  explicit MongoBlogStore(std::shared_ptr<MongoDatabase> db) : db_(std::move(db)) {}

  Result<Blog> Create(const telemetry::Context& ctx, const NewBlog& blog) override;
  Result<std::int64_t> CreateMany(const telemetry::Context& ctx,
                                  std::span<const NewBlog> blogs) override;
  Result<Blog> FindById(const telemetry::Context& ctx, std::string_view id) override;
  Result<BlogPage> List(const telemetry::Context& ctx, int limit, int offset) override;
  Result<BlogPage> ListAfter(const telemetry::Context& ctx, int limit,
                             const BlogKey& after) override;

 private:
  std::shared_ptr<MongoDatabase> db_;
};

}  // namespace blogtrace::store
