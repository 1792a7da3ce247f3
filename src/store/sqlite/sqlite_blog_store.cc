#include "store/sqlite/sqlite_blog_store.h"

#include "store/id.h"
#include "store/sqlite/db_call.h"
#include "store/time_format.h"

namespace blogtrace::store {
namespace {

using sqlite::RunDbCall;

constexpr const char* kInsert =
    "INSERT INTO blogs (id, title, content, author_id, author, created_at) "
    "VALUES (?, ?, ?, ?, ?, ?)";
constexpr const char* kSelectById =
    "SELECT id, title, content, author_id, author, created_at FROM blogs WHERE id = ?";
// blog_count is kept by triggers in the insert's transaction (schema.cc, version 2).
constexpr const char* kCount = "SELECT n FROM blog_count WHERE id = 1";
// Both page statements walk blogs_by_created_at_id from its start or from the key, reading one
// row more than the page to learn whether another page follows.
constexpr const char* kSelectPage =
    "SELECT id, title, content, author_id, author, created_at FROM blogs "
    "ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?";
constexpr const char* kSelectAfter =
    "SELECT id, title, content, author_id, author, created_at FROM blogs "
    "WHERE (created_at, id) < (?, ?) ORDER BY created_at DESC, id DESC LIMIT ?";
// The spans' db.query.text: both statements, run in one read transaction.
constexpr const char* kListQueryText =
    "SELECT n FROM blog_count WHERE id = 1; "
    "SELECT id, title, content, author_id, author, created_at FROM blogs "
    "ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?";
constexpr const char* kListAfterQueryText =
    "SELECT n FROM blog_count WHERE id = 1; "
    "SELECT id, title, content, author_id, author, created_at FROM blogs "
    "WHERE (created_at, id) < (?, ?) ORDER BY created_at DESC, id DESC LIMIT ?";

DbCall Call(const SqliteDatabase& db, std::string_view operation, const char* sql) {
  return {sqlite::kDbSystemSqlite, operation, "blogs", db.name(), sql};
}

std::int64_t ToMillis(Timestamp t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

// Reads the row the statement stands on (columns as in kSelectById).
Blog ReadBlog(const sqlite::Statement& stmt) {
  Blog blog;
  blog.id = stmt.ColumnText(0);
  blog.title = stmt.ColumnText(1);
  blog.content = stmt.ColumnText(2);
  blog.author_id = stmt.ColumnText(3);
  blog.author = stmt.ColumnText(4);
  blog.created_at = Timestamp(std::chrono::milliseconds(stmt.ColumnInt64(5)));
  return blog;
}

// Reads the total and then up to `limit` rows of `stmt` (bound to fetch limit + 1) inside one
// read transaction, so the count and the page come from the same snapshot.
BlogPage ReadPage(sqlite::Connection& connection, sqlite::Statement& stmt, int limit) {
  BlogPage page;
  {
    auto count = connection.Prepare(kCount);
    page.total = count.Step() ? count.ColumnInt64(0) : 0;
  }
  page.blogs.reserve(static_cast<std::size_t>(std::min(limit, 1000)));
  while (stmt.Step()) {
    if (page.blogs.size() == static_cast<std::size_t>(limit)) {
      const Blog& last = page.blogs.back();
      page.next = BlogKey{last.created_at, last.id};
      break;
    }
    page.blogs.push_back(ReadBlog(stmt));
  }
  return page;
}

}  // namespace

Result<Blog> SqliteBlogStore::Create(const telemetry::Context& ctx, const NewBlog& new_blog) {
  telemetry::Span span = StartDbSpan(db_->tracer(), ctx, Call(*db_, "INSERT", kInsert));
  return RunDbCall<Blog>(span, "a blog with this id exists", [&]() -> Result<Blog> {
    Blog blog;
    blog.created_at = TruncateToMillis(db_->clock().Now());
    blog.id = NewId(blog.created_at);
    blog.title = new_blog.title;
    blog.content = new_blog.content;
    blog.author_id = new_blog.author_id;
    blog.author = new_blog.author;
    std::lock_guard write_lock(db_->write_mutex());
    auto connection = db_->Acquire();
    auto stmt = connection->Prepare(kInsert);
    stmt.BindText(1, blog.id);
    stmt.BindText(2, blog.title);
    stmt.BindText(3, blog.content);
    stmt.BindText(4, blog.author_id);
    stmt.BindText(5, blog.author);
    stmt.BindInt64(6, ToMillis(blog.created_at));
    // Autocommit: when step returns, the WAL frame is synced (synchronous=FULL).
    stmt.Run();
    return blog;
  });
}

Result<std::int64_t> SqliteBlogStore::CreateMany(const telemetry::Context& ctx,
                                                 std::span<const NewBlog> blogs) {
  telemetry::Span span = StartDbSpan(db_->tracer(), ctx, Call(*db_, "INSERT", kInsert));
  return RunDbCall<std::int64_t>(span, "a blog with this id exists", [&]() -> Result<std::int64_t> {
    std::lock_guard write_lock(db_->write_mutex());
    auto connection = db_->Acquire();
    sqlite::Transaction transaction(*connection, sqlite::Transaction::Mode::kImmediate);
    for (const NewBlog& new_blog : blogs) {
      const Timestamp created_at = TruncateToMillis(db_->clock().Now());
      const std::string id = NewId(created_at);
      auto stmt = connection->Prepare(kInsert);
      stmt.BindText(1, id);
      stmt.BindText(2, new_blog.title);
      stmt.BindText(3, new_blog.content);
      stmt.BindText(4, new_blog.author_id);
      stmt.BindText(5, new_blog.author);
      stmt.BindInt64(6, ToMillis(created_at));
      stmt.Run();
    }
    transaction.Commit();
    return static_cast<std::int64_t>(blogs.size());
  });
}

Result<Blog> SqliteBlogStore::FindById(const telemetry::Context& ctx, std::string_view id) {
  telemetry::Span span = StartDbSpan(db_->tracer(), ctx, Call(*db_, "SELECT", kSelectById));
  return RunDbCall<Blog>(span, "", [&]() -> Result<Blog> {
    auto connection = db_->Acquire();
    auto stmt = connection->Prepare(kSelectById);
    stmt.BindText(1, id);
    if (!stmt.Step()) {
      SetReturnedRows(span, 0);
      return Error::NotFound("blog not found");
    }
    SetReturnedRows(span, 1);
    return ReadBlog(stmt);
  });
}

Result<BlogPage> SqliteBlogStore::List(const telemetry::Context& ctx, int limit, int offset) {
  telemetry::Span span = StartDbSpan(db_->tracer(), ctx, Call(*db_, "SELECT", kListQueryText));
  if (limit < 1 || offset < 0) {
    SetDbError(span, "invalid_argument", "limit must be >= 1 and offset >= 0");
    return Error::BadRequest("limit must be at least 1 and offset at least 0");
  }
  return RunDbCall<BlogPage>(span, "", [&]() -> Result<BlogPage> {
    auto connection = db_->Acquire();
    sqlite::Transaction transaction(*connection, sqlite::Transaction::Mode::kDeferred);
    BlogPage page;
    {
      auto stmt = connection->Prepare(kSelectPage);
      stmt.BindInt64(1, static_cast<std::int64_t>(limit) + 1);
      stmt.BindInt64(2, offset);
      page = ReadPage(*connection, stmt, limit);
    }
    transaction.Commit();
    SetReturnedRows(span, static_cast<std::int64_t>(page.blogs.size()));
    return page;
  });
}

Result<BlogPage> SqliteBlogStore::ListAfter(const telemetry::Context& ctx, int limit,
                                            const BlogKey& after) {
  telemetry::Span span = StartDbSpan(db_->tracer(), ctx, Call(*db_, "SELECT", kListAfterQueryText));
  if (limit < 1) {
    SetDbError(span, "invalid_argument", "limit must be >= 1");
    return Error::BadRequest("limit must be at least 1");
  }
  return RunDbCall<BlogPage>(span, "", [&]() -> Result<BlogPage> {
    auto connection = db_->Acquire();
    sqlite::Transaction transaction(*connection, sqlite::Transaction::Mode::kDeferred);
    BlogPage page;
    {
      auto stmt = connection->Prepare(kSelectAfter);
      stmt.BindInt64(1, ToMillis(after.created_at));
      stmt.BindText(2, after.id);
      stmt.BindInt64(3, static_cast<std::int64_t>(limit) + 1);
      page = ReadPage(*connection, stmt, limit);
    }
    transaction.Commit();
    SetReturnedRows(span, static_cast<std::int64_t>(page.blogs.size()));
    return page;
  });
}

}  // namespace blogtrace::store
