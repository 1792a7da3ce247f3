#include "store/open_store.h"

#include <gtest/gtest.h>

#include "tests/store/backends.h"
#include "tests/store/recording_tracer.h"

namespace blogtrace::store {
namespace {

TEST(OpenStore, OpensSqliteAtThePathGiven) {
  testing::SqliteBackend backend;
  testing::RecordingTracer tracer;
  auto store = OpenStore({StoreKind::kSqlite, backend.path(), ""}, tracer);
  ASSERT_TRUE(store.ok()) << store.error().message;
  auto user = (*store)->users().Create({}, {"alice", "h", Permission::kRead});
  ASSERT_TRUE(user.ok());
  EXPECT_TRUE((*store)->users().FindByUsername({}, "Alice").ok());
}

TEST(OpenStore, MongoDbWithoutAServerFailsClearly) {
  testing::RecordingTracer tracer;
  auto store = OpenStore({StoreKind::kMongoDb, "", "mongodb://127.0.0.1:1/blog"}, tracer);
  ASSERT_FALSE(store.ok());
  if (MongoDbSupported()) {
    EXPECT_EQ(store.error().code, ErrorCode::kUnavailable) << store.error().message;
  } else {
    EXPECT_NE(store.error().message.find("MongoDB"), std::string::npos);
  }
}

}  // namespace
}  // namespace blogtrace::store
