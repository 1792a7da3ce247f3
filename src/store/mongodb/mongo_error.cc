#include "store/mongodb/mongo_error.h"

#include <mongoc/mongoc.h>

namespace blogtrace::store::mongo {

std::string ErrorType(const bson_error_t& error) {
  switch (error.domain) {
    case MONGOC_ERROR_SERVER:
      return std::to_string(error.code);
    case MONGOC_ERROR_SERVER_SELECTION:
      return "server_selection";
    case MONGOC_ERROR_STREAM:
      return "stream";
    case MONGOC_ERROR_WRITE_CONCERN:
      return "write_concern_" + std::to_string(error.code);
    case MONGOC_ERROR_CLIENT:
      return "client_" + std::to_string(error.code);
    case MONGOC_ERROR_COMMAND:
      return "command_" + std::to_string(error.code);
    case MONGOC_ERROR_BSON:
      return "bson_" + std::to_string(error.code);
    default:
      return "mongoc_" + std::to_string(error.domain) + "_" + std::to_string(error.code);
  }
}

Error ToError(const bson_error_t& error, std::string_view conflict_message) {
  if (error.code == kDuplicateKey) {
    return Error::Conflict(std::string(conflict_message));
  }
  switch (error.domain) {
    case MONGOC_ERROR_SERVER_SELECTION:
    case MONGOC_ERROR_STREAM:
      return Error::Unavailable("the database server did not answer in time");
    case MONGOC_ERROR_WRITE_CONCERN:
      return Error::Unavailable("the database did not confirm the write as durable in time");
    default:
      return Error::Internal("database error");
  }
}

}  // namespace blogtrace::store::mongo
