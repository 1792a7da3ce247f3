#include "store/mongodb/mongo_database.h"

#include <mutex>

#include "store/mongodb/mongo_error.h"

namespace blogtrace::store {
namespace {

using mongo::BsonPtr;

constexpr const char* kDefaultDatabase = "blog";
constexpr std::int32_t kServerSelectionTimeoutMs = 2000;
constexpr std::int32_t kConnectTimeoutMs = 2000;
constexpr std::int32_t kWriteConcernTimeoutMs = 10000;

// libmongoc needs one process-wide mongoc_init() before any other call; it is never undone
// (mongoc_cleanup at exit would race with stores still alive in other static objects).
void InitMongocOnce() {
  static std::once_flag once;
  std::call_once(once, [] { mongoc_init(); });
}

// Sets `option` on the URI unless the URI already names it.
void DefaultInt32(mongoc_uri_t* uri, const char* option, std::int32_t value) {
  if (!mongoc_uri_has_option(uri, option)) {
    mongoc_uri_set_option_as_int32(uri, option, value);
  }
}

// Runs one createIndexes command.
bool CreateIndex(mongoc_client_t* client, const std::string& database, const char* collection,
                 const bson_t* key, const char* index_name, bool unique, bson_error_t* error) {
  BsonPtr command = mongo::NewBson();
  bson_t indexes, index;
  BSON_APPEND_UTF8(command.get(), "createIndexes", collection);
  BSON_APPEND_ARRAY_BEGIN(command.get(), "indexes", &indexes);
  BSON_APPEND_DOCUMENT_BEGIN(&indexes, "0", &index);
  BSON_APPEND_DOCUMENT(&index, "key", key);
  BSON_APPEND_UTF8(&index, "name", index_name);
  if (unique) {
    BSON_APPEND_BOOL(&index, "unique", true);
  }
  bson_append_document_end(&indexes, &index);
  bson_append_array_end(command.get(), &indexes);
  mongo::Reply reply;
  return mongoc_client_write_command_with_opts(client, database.c_str(), command.get(), nullptr,
                                               reply.get(), error);
}

// The URI's hosts ("a:27017,b:27017"), for messages: never the credentials the URI may hold.
std::string Hosts(const mongoc_uri_t* uri) {
  std::string hosts;
  for (const mongoc_host_list_t* host = mongoc_uri_get_hosts(uri); host != nullptr;
       host = host->next) {
    if (!hosts.empty()) {
      hosts += ",";
    }
    hosts += host->host_and_port;
  }
  return hosts.empty() ? "(no hosts)" : hosts;
}

}  // namespace

Result<std::shared_ptr<MongoDatabase>> MongoDatabase::Open(const std::string& uri_text,
                                                           telemetry::Tracer& tracer,
                                                           const Clock& clock) {
  InitMongocOnce();
  bson_error_t error;
  mongo::UriPtr uri(mongoc_uri_new_with_error(uri_text.c_str(), &error));
  if (uri == nullptr) {
    return Error::BadRequest("MONGODB_URI is not a valid MongoDB URI");
  }
  DefaultInt32(uri.get(), MONGOC_URI_SERVERSELECTIONTIMEOUTMS, kServerSelectionTimeoutMs);
  DefaultInt32(uri.get(), MONGOC_URI_CONNECTTIMEOUTMS, kConnectTimeoutMs);
  const char* database = mongoc_uri_get_database(uri.get());
  std::string name = database != nullptr && *database != '\0' ? database : kDefaultDatabase;

  mongo::PoolPtr pool(mongoc_client_pool_new_with_error(uri.get(), &error));
  if (pool == nullptr) {
    return Error::BadRequest("MONGODB_URI cannot be used: " + std::string(error.message));
  }
  mongoc_client_pool_set_error_api(pool.get(), MONGOC_ERROR_API_VERSION_2);
  mongoc_client_pool_set_appname(pool.get(), "blogtrace");

  {
    mongo::ClientLease client(pool.get());
    BsonPtr ping = mongo::NewBson();
    BSON_APPEND_INT32(ping.get(), "ping", 1);
    mongo::Reply reply;
    if (!mongoc_client_command_simple(client.get(), "admin", ping.get(), nullptr, reply.get(),
                                      &error)) {
      Error failure = mongo::ToError(error, "");
      failure.message = "MongoDB at " + Hosts(uri.get()) + " did not answer a ping (" +
                        mongo::ErrorType(error) + ": " + error.message + ")";
      return failure;
    }
    BsonPtr username_key = mongo::NewBson();
    BSON_APPEND_INT32(username_key.get(), "username_key", 1);
    BsonPtr newest_first = mongo::NewBson();
    BSON_APPEND_INT32(newest_first.get(), "created_at", -1);
    BSON_APPEND_INT32(newest_first.get(), "_id", -1);
    if (!CreateIndex(client.get(), name, "users", username_key.get(), "username_key_unique", true,
                     &error) ||
        !CreateIndex(client.get(), name, "blogs", newest_first.get(), "created_at_id_desc", false,
                     &error)) {
      Error failure = mongo::ToError(error, "");
      failure.message = "cannot create the MongoDB indexes (" + mongo::ErrorType(error) + ")";
      return failure;
    }
  }

  mongo::WriteConcernPtr concern(mongoc_write_concern_new());
  mongoc_write_concern_set_wmajority(concern.get(), kWriteConcernTimeoutMs);
  mongoc_write_concern_set_journal(concern.get(), true);
  BsonPtr write_options = mongo::NewBson();
  mongoc_write_concern_append(concern.get(), write_options.get());

  return std::shared_ptr<MongoDatabase>(
      new MongoDatabase(std::move(pool), std::move(name), std::move(write_options), tracer, clock));
}

MongoDatabase::MongoDatabase(mongo::PoolPtr pool, std::string name, BsonPtr write_options,
                             telemetry::Tracer& tracer, const Clock& clock)
    : pool_(std::move(pool)),
      name_(std::move(name)),
      write_options_(std::move(write_options)),
      tracer_(tracer),
      clock_(clock) {}

mongo::CollectionPtr MongoDatabase::Collection(const mongo::ClientLease& client,
                                               const char* name) const {
  return mongo::CollectionPtr(mongoc_client_get_collection(client.get(), name_.c_str(), name));
}

}  // namespace blogtrace::store
