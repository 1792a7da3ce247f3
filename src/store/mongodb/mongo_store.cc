#include "store/mongodb/mongo_store.h"

#include "store/mongodb/mongo_blog_store.h"
#include "store/mongodb/mongo_database.h"
#include "store/mongodb/mongo_user_store.h"

namespace blogtrace::store {

MongoStore::MongoStore(std::shared_ptr<MongoDatabase> db, std::unique_ptr<UserStore> users,
                       std::unique_ptr<BlogStore> blogs)
    : db_(std::move(db)), users_(std::move(users)), blogs_(std::move(blogs)) {}

MongoStore::~MongoStore() = default;

Result<std::unique_ptr<MongoStore>> OpenMongoStore(const std::string& uri,
                                                   telemetry::Tracer& tracer, const Clock& clock) {
  try {
    auto db = MongoDatabase::Open(uri, tracer, clock);
    if (!db.ok()) {
      return std::move(db).error();
    }
    auto users = std::make_unique<MongoUserStore>(*db);
    auto blogs = std::make_unique<MongoBlogStore>(*db);
    return std::unique_ptr<MongoStore>(
        new MongoStore(std::move(db).value(), std::move(users), std::move(blogs)));
  } catch (const std::exception& e) {
    return Error::Internal(std::string("cannot open the MongoDB store: ") + e.what());
  }
}

}  // namespace blogtrace::store
