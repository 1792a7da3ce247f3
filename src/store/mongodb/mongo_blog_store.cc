#include "store/mongodb/mongo_blog_store.h"

#include "store/id.h"
#include "store/mongodb/documents.h"
#include "store/mongodb/mongo_call.h"
#include "store/time_format.h"

namespace blogtrace::store {
namespace {

using mongo::Fail;
using mongo::kDbSystemMongo;
using mongo::RunMongoCall;

// db.query.text: the commands' shapes with every value replaced by "?".
constexpr const char* kInsertText = R"({"insert":"blogs","documents":["?"]})";
constexpr const char* kFindByIdText = R"({"find":"blogs","filter":{"_id":"?"},"limit":1})";
constexpr const char* kListText =
    R"({"aggregate":"blogs","pipeline":[{"$match":{}},{"$group":{"_id":1,"n":{"$sum":1}}}]}; )"
    R"({"find":"blogs","filter":{},"sort":{"created_at":-1,"_id":-1},"skip":"?","limit":"?"})";
constexpr const char* kListAfterText =
    R"({"aggregate":"blogs","pipeline":[{"$match":{}},{"$group":{"_id":1,"n":{"$sum":1}}}]}; )"
    R"({"find":"blogs","filter":{"$or":[{"created_at":{"$lt":"?"}},)"
    R"({"created_at":"?","_id":{"$lt":"?"}}]},"sort":{"created_at":-1,"_id":-1},"limit":"?"})";

// The filter of the keyset page after `after`: created_at < t, or created_at = t and _id < id.
mongo::BsonPtr AfterFilter(const BlogKey& after) {
  const std::int64_t ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(after.created_at.time_since_epoch())
          .count();
  mongo::BsonPtr filter = mongo::NewBson();
  bson_t either, older, older_time, same_time, smaller_id;
  BSON_APPEND_ARRAY_BEGIN(filter.get(), "$or", &either);
  BSON_APPEND_DOCUMENT_BEGIN(&either, "0", &older);
  BSON_APPEND_DOCUMENT_BEGIN(&older, "created_at", &older_time);
  BSON_APPEND_DATE_TIME(&older_time, "$lt", ms);
  bson_append_document_end(&older, &older_time);
  bson_append_document_end(&either, &older);
  BSON_APPEND_DOCUMENT_BEGIN(&either, "1", &same_time);
  BSON_APPEND_DATE_TIME(&same_time, "created_at", ms);
  BSON_APPEND_DOCUMENT_BEGIN(&same_time, "_id", &smaller_id);
  bson_append_utf8(&smaller_id, "$lt", -1, after.id.data(), static_cast<int>(after.id.size()));
  bson_append_document_end(&same_time, &smaller_id);
  bson_append_document_end(&either, &same_time);
  bson_append_array_end(filter.get(), &either);
  return filter;
}

}  // namespace

Result<Blog> MongoBlogStore::Create(const telemetry::Context& ctx, const NewBlog& new_blog) {
  telemetry::Span span = StartDbSpan(db_->tracer(), ctx,
                                     {kDbSystemMongo, "insert", "blogs", db_->name(), kInsertText});
  return RunMongoCall<Blog>(span, [&]() -> Result<Blog> {
    Blog blog;
    blog.created_at = TruncateToMillis(db_->clock().Now());
    blog.id = NewId(blog.created_at);
    blog.title = new_blog.title;
    blog.content = new_blog.content;
    blog.author_id = new_blog.author_id;
    blog.author = new_blog.author;
    mongo::BsonPtr doc = mongo::BlogToBson(blog);
    if (doc == nullptr) {
      SetDbError(span, "bson_too_large", "document too large");
      return Error::Internal("blog record too large");
    }
    mongo::ClientLease client = db_->Acquire();
    mongo::CollectionPtr blogs = db_->Collection(client, "blogs");
    mongo::Reply reply;
    bson_error_t error;
    // {w: "majority", j: true}: acknowledged only once journaled on a majority.
    if (!mongoc_collection_insert_one(blogs.get(), doc.get(), &db_->write_options(), reply.get(),
                                      &error)) {
      return Fail(span, error, "a blog with this id exists");
    }
    return blog;
  });
}

Result<std::int64_t> MongoBlogStore::CreateMany(const telemetry::Context& ctx,
                                                std::span<const NewBlog> new_blogs) {
  telemetry::Span span = StartDbSpan(db_->tracer(), ctx,
                                     {kDbSystemMongo, "insert", "blogs", db_->name(), kInsertText});
  return RunMongoCall<std::int64_t>(span, [&]() -> Result<std::int64_t> {
    if (new_blogs.empty()) return std::int64_t{0};
    mongo::ClientLease client = db_->Acquire();
    mongo::CollectionPtr blogs = db_->Collection(client, "blogs");
    // One ordered bulk insert with the store's write concern ({w: "majority", j: true}).
    std::unique_ptr<mongoc_bulk_operation_t, decltype(&mongoc_bulk_operation_destroy)> bulk(
        mongoc_collection_create_bulk_operation_with_opts(blogs.get(), &db_->write_options()),
        &mongoc_bulk_operation_destroy);
    bson_error_t error;
    for (const NewBlog& new_blog : new_blogs) {
      Blog blog;
      blog.created_at = TruncateToMillis(db_->clock().Now());
      blog.id = NewId(blog.created_at);
      blog.title = new_blog.title;
      blog.content = new_blog.content;
      blog.author_id = new_blog.author_id;
      blog.author = new_blog.author;
      mongo::BsonPtr doc = mongo::BlogToBson(blog);
      if (doc == nullptr) {
        SetDbError(span, "bson_too_large", "document too large");
        return Error::Internal("blog record too large");
      }
      if (!mongoc_bulk_operation_insert_with_opts(bulk.get(), doc.get(), nullptr, &error)) {
        return Fail(span, error, "");
      }
    }
    mongo::Reply reply;
    if (mongoc_bulk_operation_execute(bulk.get(), reply.get(), &error) == 0) {
      return Fail(span, error, "a blog with this id exists");
    }
    return static_cast<std::int64_t>(new_blogs.size());
  });
}

Result<Blog> MongoBlogStore::FindById(const telemetry::Context& ctx, std::string_view id) {
  telemetry::Span span = StartDbSpan(db_->tracer(), ctx,
                                     {kDbSystemMongo, "find", "blogs", db_->name(), kFindByIdText});
  return RunMongoCall<Blog>(span, [&]() -> Result<Blog> {
    mongo::BsonPtr filter = mongo::NewBson();
    bson_append_utf8(filter.get(), "_id", -1, id.data(), static_cast<int>(id.size()));
    mongo::BsonPtr options = mongo::NewBson();
    BSON_APPEND_INT64(options.get(), "limit", 1);
    mongo::ClientLease client = db_->Acquire();
    mongo::CollectionPtr blogs = db_->Collection(client, "blogs");
    mongo::CursorPtr cursor(
        mongoc_collection_find_with_opts(blogs.get(), filter.get(), options.get(), nullptr));
    const bson_t* doc = nullptr;
    const bool found = mongoc_cursor_next(cursor.get(), &doc);
    bson_error_t error;
    if (mongoc_cursor_error(cursor.get(), &error)) {
      return Fail(span, error, "");
    }
    if (!found) {
      SetReturnedRows(span, 0);
      return Error::NotFound("blog not found");
    }
    SetReturnedRows(span, 1);
    auto blog = mongo::BlogFromBson(*doc);
    if (!blog) {
      SetDbError(span, "malformed_document", "a blogs document lacks a field");
      return Error::Internal("malformed blog record");
    }
    return *std::move(blog);
  });
}

namespace {

// The total, then up to `limit` blogs matching `filter` in list order after skipping `skip`; one
// more is read to learn whether another page follows.
Result<BlogPage> FindPage(MongoDatabase& db, telemetry::Span& span, int limit, const bson_t& filter,
                          std::int64_t skip) {
  return RunMongoCall<BlogPage>(span, [&]() -> Result<BlogPage> {
    BlogPage page;
    mongo::ClientLease client = db.Acquire();
    mongo::CollectionPtr blogs = db.Collection(client, "blogs");
    mongo::BsonPtr all = mongo::NewBson();
    bson_error_t error;
    {
      // count_documents walks every blog. TODO(deploy): a counter document updated with each
      // insert would make this one read, as the SQLite store's blog_count does.
      mongo::Reply reply;
      page.total = mongoc_collection_count_documents(blogs.get(), all.get(), nullptr, nullptr,
                                                     reply.get(), &error);
      if (page.total < 0) {
        return Fail(span, error, "");
      }
    }
    mongo::BsonPtr options = mongo::NewBson();
    bson_t sort;
    BSON_APPEND_DOCUMENT_BEGIN(options.get(), "sort", &sort);
    BSON_APPEND_INT32(&sort, "created_at", -1);
    BSON_APPEND_INT32(&sort, "_id", -1);
    bson_append_document_end(options.get(), &sort);
    if (skip > 0) BSON_APPEND_INT64(options.get(), "skip", skip);
    BSON_APPEND_INT64(options.get(), "limit", static_cast<std::int64_t>(limit) + 1);
    mongo::CursorPtr cursor(
        mongoc_collection_find_with_opts(blogs.get(), &filter, options.get(), nullptr));
    const bson_t* doc = nullptr;
    while (mongoc_cursor_next(cursor.get(), &doc)) {
      if (page.blogs.size() == static_cast<std::size_t>(limit)) {
        page.next = BlogKey{page.blogs.back().created_at, page.blogs.back().id};
        break;
      }
      auto blog = mongo::BlogFromBson(*doc);
      if (!blog) {
        SetDbError(span, "malformed_document", "a blogs document lacks a field");
        return Error::Internal("malformed blog record");
      }
      page.blogs.push_back(*std::move(blog));
    }
    if (mongoc_cursor_error(cursor.get(), &error)) {
      return Fail(span, error, "");
    }
    SetReturnedRows(span, static_cast<std::int64_t>(page.blogs.size()));
    return page;
  });
}

}  // namespace

Result<BlogPage> MongoBlogStore::List(const telemetry::Context& ctx, int limit, int offset) {
  telemetry::Span span =
      StartDbSpan(db_->tracer(), ctx, {kDbSystemMongo, "find", "blogs", db_->name(), kListText});
  if (limit < 1 || offset < 0) {
    SetDbError(span, "invalid_argument", "limit must be >= 1 and offset >= 0");
    return Error::BadRequest("limit must be at least 1 and offset at least 0");
  }
  mongo::BsonPtr all = mongo::NewBson();
  return FindPage(*db_, span, limit, *all, offset);
}

Result<BlogPage> MongoBlogStore::ListAfter(const telemetry::Context& ctx, int limit,
                                           const BlogKey& after) {
  telemetry::Span span = StartDbSpan(
      db_->tracer(), ctx, {kDbSystemMongo, "find", "blogs", db_->name(), kListAfterText});
  if (limit < 1) {
    SetDbError(span, "invalid_argument", "limit must be >= 1");
    return Error::BadRequest("limit must be at least 1");
  }
  mongo::BsonPtr filter = AfterFilter(after);
  return FindPage(*db_, span, limit, *filter, 0);
}

}  // namespace blogtrace::store
