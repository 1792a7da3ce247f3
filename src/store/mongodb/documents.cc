#include "store/mongodb/documents.h"

#include <chrono>
#include <climits>
#include <string>
#include <string_view>

#include "store/username.h"

namespace blogtrace::store::mongo {
namespace {

// Appends return false when the document would exceed BSON's size limit.
bool AppendText(bson_t* doc, const char* key, std::string_view value) {
  if (value.size() > static_cast<std::size_t>(INT_MAX)) {
    return false;
  }
  return bson_append_utf8(doc, key, -1, value.data(), static_cast<int>(value.size()));
}

bool AppendTime(bson_t* doc, const char* key, Timestamp t) {
  return bson_append_date_time(
      doc, key, -1,
      std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count());
}

bool ReadText(const bson_t& doc, const char* key, std::string& out) {
  bson_iter_t iter;
  if (!bson_iter_init_find(&iter, &doc, key) || !BSON_ITER_HOLDS_UTF8(&iter)) {
    return false;
  }
  std::uint32_t length = 0;
  const char* text = bson_iter_utf8(&iter, &length);
  out.assign(text, length);
  return true;
}

bool ReadTime(const bson_t& doc, const char* key, Timestamp& out) {
  bson_iter_t iter;
  if (!bson_iter_init_find(&iter, &doc, key) || !BSON_ITER_HOLDS_DATE_TIME(&iter)) {
    return false;
  }
  out = Timestamp(std::chrono::milliseconds(bson_iter_date_time(&iter)));
  return true;
}

}  // namespace

BsonPtr UserToBson(const User& user) {
  BsonPtr doc = NewBson();
  const bool ok = AppendText(doc.get(), "_id", user.id) &&
                  AppendText(doc.get(), "username", user.username) &&
                  AppendText(doc.get(), "username_key", UsernameKey(user.username)) &&
                  AppendText(doc.get(), "password_hash", user.password_hash) &&
                  AppendText(doc.get(), "permission", PermissionName(user.permission)) &&
                  AppendTime(doc.get(), "created_at", user.created_at);
  return ok ? std::move(doc) : nullptr;
}

std::optional<User> UserFromBson(const bson_t& doc) {
  User user;
  std::string permission;
  if (!ReadText(doc, "_id", user.id) || !ReadText(doc, "username", user.username) ||
      !ReadText(doc, "password_hash", user.password_hash) ||
      !ReadText(doc, "permission", permission) || !ReadTime(doc, "created_at", user.created_at)) {
    return std::nullopt;
  }
  const auto parsed = ParsePermission(permission);
  if (!parsed) {
    return std::nullopt;
  }
  user.permission = *parsed;
  return user;
}

BsonPtr BlogToBson(const Blog& blog) {
  BsonPtr doc = NewBson();
  const bool ok = AppendText(doc.get(), "_id", blog.id) &&
                  AppendText(doc.get(), "title", blog.title) &&
                  AppendText(doc.get(), "content", blog.content) &&
                  AppendText(doc.get(), "author_id", blog.author_id) &&
                  AppendText(doc.get(), "author", blog.author) &&
                  AppendTime(doc.get(), "created_at", blog.created_at);
  return ok ? std::move(doc) : nullptr;
}

std::optional<Blog> BlogFromBson(const bson_t& doc) {
  Blog blog;
  if (!ReadText(doc, "_id", blog.id) || !ReadText(doc, "title", blog.title) ||
      !ReadText(doc, "content", blog.content) || !ReadText(doc, "author_id", blog.author_id) ||
      !ReadText(doc, "author", blog.author) || !ReadTime(doc, "created_at", blog.created_at)) {
    return std::nullopt;
  }
  return blog;
}

}  // namespace blogtrace::store::mongo
