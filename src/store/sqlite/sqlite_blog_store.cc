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
constexpr const char* kCount = "SELECT count(*) FROM blogs";
constexpr const char* kSelectPage =
    "SELECT id, title, content, author_id, author, created_at FROM blogs "
    "ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?";
// The List span's db.query.text: both statements, run in one read transaction.
constexpr const char* kListQueryText =
    "SELECT count(*) FROM blogs; "
    "SELECT id, title, content, author_id, author, created_at FROM blogs "
    "ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?";

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
    BlogPage page;
    auto connection = db_->Acquire();
    // One read transaction: the count and the page come from the same snapshot.
    sqlite::Transaction transaction(*connection, sqlite::Transaction::Mode::kDeferred);
    {
      auto count = connection->Prepare(kCount);
      page.total = count.Step() ? count.ColumnInt64(0) : 0;
    }
    {
      auto stmt = connection->Prepare(kSelectPage);
      stmt.BindInt64(1, limit);
      stmt.BindInt64(2, offset);
      page.blogs.reserve(static_cast<std::size_t>(std::min(limit, 1000)));
      while (stmt.Step()) {
        page.blogs.push_back(ReadBlog(stmt));
      }
    }
    transaction.Commit();
    SetReturnedRows(span, static_cast<std::int64_t>(page.blogs.size()));
    return page;
  });
}

}  // namespace blogtrace::store
