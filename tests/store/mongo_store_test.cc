// MongoDB-specific behaviour that needs no server: connection failures, URI errors, the BSON
// document shape. (The shared behaviour is in store_conformance_test.cc, which runs against a
// server when one answers.)
#include "store/mongodb/mongo_store.h"

#include <gtest/gtest.h>
#include <mongoc/mongoc.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "store/mongodb/documents.h"
#include "store/mongodb/mongo_error.h"
#include "tests/store/recording_tracer.h"

namespace blogtrace::store {
namespace {

using std::chrono::milliseconds;
using std::chrono::system_clock;

// A loopback port with nothing listening: bound, then closed.
int ClosedPort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    close(fd);
    return 0;
  }
  close(fd);
  return ntohs(addr.sin_port);
}

TEST(MongoStore, NoServerIsUnavailableWithinTheSelectionTimeout) {
  const int port = ClosedPort();
  ASSERT_NE(port, 0);
  testing::RecordingTracer tracer;
  const auto start = std::chrono::steady_clock::now();
  auto store = OpenMongoStore("mongodb://127.0.0.1:" + std::to_string(port) + "/blog", tracer);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().code, ErrorCode::kUnavailable) << store.error().message;
  EXPECT_LT(elapsed, std::chrono::seconds(5));  // 2 s server selection, not the 30 s default
  // The message is for the operator at start: it names the host, never credentials.
  EXPECT_NE(store.error().message.find("127.0.0.1:" + std::to_string(port)), std::string::npos)
      << store.error().message;
  EXPECT_EQ(store.error().message.find("pa55word"), std::string::npos) << store.error().message;
}

TEST(MongoStore, AMalformedUriIsABadRequest) {
  testing::RecordingTracer tracer;
  for (const char* uri : {"", "http://127.0.0.1/blog", "mongodb://", "mongodb://host:notaport"}) {
    auto store = OpenMongoStore(uri, tracer);
    ASSERT_FALSE(store.ok()) << uri;
    EXPECT_EQ(store.error().code, ErrorCode::kBadRequest) << uri;
  }
}

TEST(MongoDocuments, UsersRoundTripWithALowerCasedKey) {
  const User user{"0190-id", "Alice.Smith", "$argon2id$hash", Permission::kWrite,
                  system_clock::time_point(milliseconds(1795000000123))};
  mongo::BsonPtr doc = mongo::UserToBson(user);
  ASSERT_NE(doc, nullptr);
  EXPECT_EQ(mongo::UserFromBson(*doc), user);
  bson_iter_t iter;
  ASSERT_TRUE(bson_iter_init_find(&iter, doc.get(), "username_key"));
  EXPECT_STREQ(bson_iter_utf8(&iter, nullptr), "alice.smith");
  ASSERT_TRUE(bson_iter_init_find(&iter, doc.get(), "created_at"));
  EXPECT_TRUE(BSON_ITER_HOLDS_DATE_TIME(&iter));
  EXPECT_EQ(bson_iter_date_time(&iter), 1795000000123);
  ASSERT_TRUE(bson_iter_init_find(&iter, doc.get(), "_id"));
  EXPECT_STREQ(bson_iter_utf8(&iter, nullptr), "0190-id");
}

TEST(MongoDocuments, BlogsRoundTripUnicodeWhole) {
  const Blog blog{"id-1",   "Grüße 👋", std::string(70000, 'x') + "世界",
                  "user-1", "Zoë",     system_clock::time_point(milliseconds(-5))};
  mongo::BsonPtr doc = mongo::BlogToBson(blog);
  ASSERT_NE(doc, nullptr);
  EXPECT_EQ(mongo::BlogFromBson(*doc), blog);
}

TEST(MongoDocuments, MissingOrMistypedFieldsAreRejected) {
  mongo::BsonPtr doc = mongo::NewBson();
  BSON_APPEND_UTF8(doc.get(), "_id", "x");
  EXPECT_FALSE(mongo::BlogFromBson(*doc).has_value());
  EXPECT_FALSE(mongo::UserFromBson(*doc).has_value());
  const User user{"u", "bob", "h", Permission::kRead, system_clock::time_point()};
  mongo::BsonPtr bad = mongo::NewBson();
  bson_copy_to_excluding_noinit(mongo::UserToBson(user).get(), bad.get(), "permission", nullptr);
  BSON_APPEND_UTF8(bad.get(), "permission", "ADMIN");
  EXPECT_FALSE(mongo::UserFromBson(*bad).has_value());
}

TEST(MongoError, MapsDuplicateKeysUnreachableServersAndTheRest) {
  bson_error_t duplicate{};
  duplicate.domain = MONGOC_ERROR_SERVER;
  duplicate.code = mongo::kDuplicateKey;
  EXPECT_EQ(mongo::ToError(duplicate, "taken").code, ErrorCode::kConflict);
  EXPECT_EQ(mongo::ToError(duplicate, "taken").message, "taken");
  EXPECT_EQ(mongo::ErrorType(duplicate), "11000");

  bson_error_t selection{};
  selection.domain = MONGOC_ERROR_SERVER_SELECTION;
  selection.code = MONGOC_ERROR_SERVER_SELECTION_FAILURE;
  EXPECT_EQ(mongo::ToError(selection, "").code, ErrorCode::kUnavailable);
  EXPECT_EQ(mongo::ErrorType(selection), "server_selection");

  bson_error_t write_concern{};
  write_concern.domain = MONGOC_ERROR_WRITE_CONCERN;
  write_concern.code = 64;
  EXPECT_EQ(mongo::ToError(write_concern, "").code, ErrorCode::kUnavailable);

  bson_error_t other{};
  other.domain = MONGOC_ERROR_SERVER;
  other.code = 2;
  EXPECT_EQ(mongo::ToError(other, "").code, ErrorCode::kInternal);
}

}  // namespace
}  // namespace blogtrace::store
