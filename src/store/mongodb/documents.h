// The BSON shape of users and blogs in MongoDB, in one place:
//   users {_id, username, username_key, password_hash, permission, created_at}
//   blogs {_id, title, content, author_id, author, created_at}
// _id is the store's id string; created_at a BSON UTC datetime (milliseconds); username_key the
// ASCII-lower-cased username, which the unique index covers.
#pragma once

#include <optional>

#include "store/model.h"
#include "store/mongodb/handles.h"

namespace blogtrace::store::mongo {

// The document for a user; null when it would exceed BSON's 16 MiB limit.
BsonPtr UserToBson(const User& user);
// The user in a document; nullopt when a field is missing or has the wrong type.
std::optional<User> UserFromBson(const bson_t& doc);

// The document for a blog; null when it would exceed BSON's 16 MiB limit.
BsonPtr BlogToBson(const Blog& blog);
// The blog in a document; nullopt when a field is missing or has the wrong type.
std::optional<Blog> BlogFromBson(const bson_t& doc);

}  // namespace blogtrace::store::mongo
