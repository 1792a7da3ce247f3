#include "store/mongodb/mongo_user_store.h"

#include "store/id.h"
#include "store/mongodb/documents.h"
#include "store/mongodb/mongo_call.h"
#include "store/time_format.h"
#include "store/username.h"

namespace blogtrace::store {
namespace {

using mongo::Fail;
using mongo::kDbSystemMongo;
using mongo::RunMongoCall;

// db.query.text: the command's shape with every value replaced by "?".
constexpr const char* kInsertText = R"({"insert":"users","documents":["?"]})";
constexpr const char* kFindByIdText = R"({"find":"users","filter":{"_id":"?"},"limit":1})";
constexpr const char* kFindByKeyText =
    R"({"find":"users","filter":{"username_key":"?"},"limit":1})";

}  // namespace

Result<User> MongoUserStore::Create(const telemetry::Context& ctx, const NewUser& new_user) {
  telemetry::Span span = StartDbSpan(db_->tracer(), ctx,
                                     {kDbSystemMongo, "insert", "users", db_->name(), kInsertText});
  return RunMongoCall<User>(span, [&]() -> Result<User> {
    User user;
    user.created_at = TruncateToMillis(db_->clock().Now());
    user.id = NewId(user.created_at);
    user.username = new_user.username;
    user.password_hash = new_user.password_hash;
    user.permission = new_user.permission;
    mongo::BsonPtr doc = mongo::UserToBson(user);
    if (doc == nullptr) {
      SetDbError(span, "bson_too_large", "document too large");
      return Error::Internal("user record too large");
    }
    mongo::ClientLease client = db_->Acquire();
    mongo::CollectionPtr users = db_->Collection(client, "users");
    mongo::Reply reply;
    bson_error_t error;
    if (!mongoc_collection_insert_one(users.get(), doc.get(), &db_->write_options(), reply.get(),
                                      &error)) {
      return Fail(span, error, "a user with this username exists");
    }
    return user;
  });
}

Result<User> MongoUserStore::FindById(const telemetry::Context& ctx, std::string_view id) {
  return FindOne(ctx, "_id", id, kFindByIdText);
}

Result<User> MongoUserStore::FindByUsername(const telemetry::Context& ctx,
                                            std::string_view username) {
  return FindOne(ctx, "username_key", UsernameKey(username), kFindByKeyText);
}

Result<User> MongoUserStore::FindOne(const telemetry::Context& ctx, const char* field,
                                     std::string_view value, std::string_view query_text) {
  telemetry::Span span =
      StartDbSpan(db_->tracer(), ctx, {kDbSystemMongo, "find", "users", db_->name(), query_text});
  return RunMongoCall<User>(span, [&]() -> Result<User> {
    mongo::BsonPtr filter = mongo::NewBson();
    bson_append_utf8(filter.get(), field, -1, value.data(), static_cast<int>(value.size()));
    mongo::BsonPtr options = mongo::NewBson();
    BSON_APPEND_INT64(options.get(), "limit", 1);
    mongo::ClientLease client = db_->Acquire();
    mongo::CollectionPtr users = db_->Collection(client, "users");
    mongo::CursorPtr cursor(
        mongoc_collection_find_with_opts(users.get(), filter.get(), options.get(), nullptr));
    const bson_t* doc = nullptr;
    const bool found = mongoc_cursor_next(cursor.get(), &doc);
    bson_error_t error;
    if (mongoc_cursor_error(cursor.get(), &error)) {
      return Fail(span, error, "");
    }
    if (!found) {
      SetReturnedRows(span, 0);
      return Error::NotFound("user not found");
    }
    SetReturnedRows(span, 1);
    auto user = mongo::UserFromBson(*doc);
    if (!user) {
      SetDbError(span, "malformed_document", "a users document lacks a field");
      return Error::Internal("malformed user record");
    }
    return *std::move(user);
  });
}

}  // namespace blogtrace::store
