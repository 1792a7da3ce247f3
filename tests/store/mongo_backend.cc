#include <mongoc/mongoc.h>

#include <cstdlib>
#include <iostream>

#include "store/id.h"
#include "store/mongodb/handles.h"
#include "tests/store/backends.h"

namespace blogtrace::store::testing {
namespace {

// The server the MongoDB tests use: MONGODB_TEST_URI ("mongodb://host:port", no database).
std::string TestServer() {
  const char* uri = std::getenv("MONGODB_TEST_URI");
  std::string server = uri != nullptr && *uri != '\0' ? uri : "mongodb://127.0.0.1:27017";
  while (!server.empty() && server.back() == '/') {
    server.pop_back();
  }
  return server;
}

// Runs one command against the server; false when it does not answer within a second.
bool RunCommand(const std::string& uri_text, const char* database, const char* command_name) {
  mongoc_init();
  mongo::UriPtr uri(mongoc_uri_new_with_error(uri_text.c_str(), nullptr));
  if (uri == nullptr) {
    return false;
  }
  mongoc_uri_set_option_as_int32(uri.get(), MONGOC_URI_SERVERSELECTIONTIMEOUTMS, 1000);
  mongoc_client_t* client = mongoc_client_new_from_uri(uri.get());
  if (client == nullptr) {
    return false;
  }
  mongo::BsonPtr command = mongo::NewBson();
  BSON_APPEND_INT32(command.get(), command_name, 1);
  mongo::Reply reply;
  const bool ok =
      mongoc_client_command_simple(client, database, command.get(), nullptr, reply.get(), nullptr);
  mongoc_client_destroy(client);
  return ok;
}

}  // namespace

MongoBackend::MongoBackend() : server_(TestServer()) {
  std::string suffix = NewId(std::chrono::system_clock::now());
  std::erase(suffix, '-');
  database_ = "blogtrace_test_" + suffix;
  uri_ = server_ + "/" + database_;
  if (!RunCommand(server_, "admin", "ping")) {
    skip_reason_ = "MongoDB tests skipped: no server at " + server_ +
                   " (set MONGODB_TEST_URI=mongodb://host:port to run them)";
    std::cerr << "*** " << *skip_reason_ << " ***\n";
  }
}

MongoBackend::~MongoBackend() {
  if (!skip_reason_) {
    RunCommand(server_ + "/" + database_, database_.c_str(), "dropDatabase");
  }
}

}  // namespace blogtrace::store::testing
