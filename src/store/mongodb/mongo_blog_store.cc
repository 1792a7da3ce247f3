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

Result<BlogPage> MongoBlogStore::List(const telemetry::Context& ctx, int limit, int offset) {
  telemetry::Span span =
      StartDbSpan(db_->tracer(), ctx, {kDbSystemMongo, "find", "blogs", db_->name(), kListText});
  if (limit < 1 || offset < 0) {
    SetDbError(span, "invalid_argument", "limit must be >= 1 and offset >= 0");
    return Error::BadRequest("limit must be at least 1 and offset at least 0");
  }
  return RunMongoCall<BlogPage>(span, [&]() -> Result<BlogPage> {
    BlogPage page;
    mongo::ClientLease client = db_->Acquire();
    mongo::CollectionPtr blogs = db_->Collection(client, "blogs");
    mongo::BsonPtr all = mongo::NewBson();
    bson_error_t error;
    {
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
    BSON_APPEND_INT64(options.get(), "skip", offset);
    BSON_APPEND_INT64(options.get(), "limit", limit);
    mongo::CursorPtr cursor(
        mongoc_collection_find_with_opts(blogs.get(), all.get(), options.get(), nullptr));
    const bson_t* doc = nullptr;
    while (mongoc_cursor_next(cursor.get(), &doc)) {
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

}  // namespace blogtrace::store
