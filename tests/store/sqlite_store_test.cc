// SQLite-specific behaviour: file settings, migrations, locking, crash durability.
#include "store/sqlite/sqlite_store.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <thread>

#include "store/sqlite/schema.h"
#include "tests/store/backends.h"
#include "tests/store/recording_tracer.h"

namespace blogtrace::store {
namespace {

using testing::RecordingTracer;
using testing::SqliteBackend;

// A raw connection to inspect or disturb the file from "another process".
class RawDb {
 public:
  explicit RawDb(const std::string& path) {
    if (sqlite3_open(path.c_str(), &db_) != SQLITE_OK) {
      ADD_FAILURE() << "raw open failed";
    }
  }
  ~RawDb() { sqlite3_close(db_); }
  std::string Text(const char* sql) {
    sqlite3_stmt* stmt = nullptr;
    std::string out;
    if (sqlite3_prepare_v2(db_, sql, -1, &stmt, nullptr) == SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW) {
      out = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    }
    sqlite3_finalize(stmt);
    return out;
  }
  void Exec(const char* sql) { ASSERT_EQ(sqlite3_exec(db_, sql, nullptr, nullptr, nullptr), 0); }

 private:
  sqlite3* db_ = nullptr;
};

class SqliteStoreTest : public ::testing::Test {
 protected:
  SqliteBackend backend_;
  RecordingTracer tracer_;
  telemetry::Context ctx_;
};

TEST_F(SqliteStoreTest, CreatesTheFileInWalModeWithTheCurrentSchema) {
  auto store = OpenSqliteStore(backend_.path(), tracer_);
  ASSERT_TRUE(store.ok()) << store.error().message;
  RawDb raw(backend_.path());
  EXPECT_EQ(raw.Text("PRAGMA journal_mode"), "wal");
  EXPECT_EQ(raw.Text("PRAGMA user_version"), std::to_string(sqlite::Migrations().size()));
  EXPECT_EQ(raw.Text("SELECT name FROM sqlite_master WHERE name = 'blogs_by_created_at_id'"),
            "blogs_by_created_at_id");
}

TEST_F(SqliteStoreTest, MigratingAgainChangesNothing) {
  {
    auto store = OpenSqliteStore(backend_.path(), tracer_);
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE((*store)->blogs().Create(ctx_, {"t", "c", "a", "b"}).ok());
  }
  RawDb raw(backend_.path());
  const std::string schema = raw.Text("SELECT group_concat(sql, ';') FROM sqlite_master");
  for (int i = 0; i < 3; ++i) {
    auto store = OpenSqliteStore(backend_.path(), tracer_);
    ASSERT_TRUE(store.ok()) << store.error().message;
    EXPECT_EQ((*store)->blogs().List(ctx_, 10, 0)->total, 1);
  }
  EXPECT_EQ(raw.Text("SELECT group_concat(sql, ';') FROM sqlite_master"), schema);
  EXPECT_EQ(raw.Text("PRAGMA user_version"), std::to_string(sqlite::Migrations().size()));
}

TEST_F(SqliteStoreTest, MigratingAVersionOneFileCountsItsBlogsOnceAndKeepsCounting) {
  {
    RawDb raw(backend_.path());
    raw.Exec(sqlite::Migrations()[0]);
    raw.Exec("PRAGMA user_version = 1");
    for (int i = 0; i < 5; ++i) {
      const std::string insert = "INSERT INTO blogs VALUES ('id-" + std::to_string(i) +
                                 "', 't', 'c', 'a', 'b', " + std::to_string(1795000000000 + i) +
                                 ")";
      raw.Exec(insert.c_str());
    }
  }
  auto store = OpenSqliteStore(backend_.path(), tracer_);
  ASSERT_TRUE(store.ok()) << store.error().message;
  auto page = (*store)->blogs().List(ctx_, 2, 0);
  ASSERT_TRUE(page.ok()) << page.error().message;
  EXPECT_EQ(page->total, 5);
  EXPECT_EQ(page->blogs[0].id, "id-4");
  ASSERT_TRUE((*store)->blogs().Create(ctx_, {"t", "c", "a", "b"}).ok());
  // A row written by another program (the sqlite3 shell) is counted too: triggers keep the count.
  RawDb raw(backend_.path());
  raw.Exec("INSERT INTO blogs VALUES ('other', 't', 'c', 'a', 'b', 1)");
  EXPECT_EQ((*store)->blogs().List(ctx_, 1, 0)->total, 7);
  raw.Exec("DELETE FROM blogs WHERE id = 'id-0'");
  EXPECT_EQ((*store)->blogs().List(ctx_, 1, 0)->total, 6);
  EXPECT_EQ(raw.Text("SELECT count(*) FROM blogs"), "6");
}

// The list's cost must not grow with the table: no statement of List or ListAfter may scan the
// table, sort in a temporary b-tree or count rows. (The OFFSET walk is the documented exception.)
TEST_F(SqliteStoreTest, ListingPlansWalkTheIndexWithoutScanningOrSorting) {
  { ASSERT_TRUE(OpenSqliteStore(backend_.path(), tracer_).ok()); }
  RawDb raw(backend_.path());
  const char* statements[] = {
      "EXPLAIN QUERY PLAN SELECT n FROM blog_count WHERE id = 1",
      "EXPLAIN QUERY PLAN SELECT id, title, content, author_id, author, created_at FROM blogs "
      "ORDER BY created_at DESC, id DESC LIMIT 21 OFFSET 0",
      "EXPLAIN QUERY PLAN SELECT id, title, content, author_id, author, created_at FROM blogs "
      "WHERE (created_at, id) < (5, 'x') ORDER BY created_at DESC, id DESC LIMIT 21",
  };
  for (const char* sql : statements) {
    std::string plan;
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(backend_.path().c_str(), &db), SQLITE_OK);
    sqlite3_stmt* stmt = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr), SQLITE_OK) << sql;
    while (sqlite3_step(stmt) == SQLITE_ROW) {
      plan += reinterpret_cast<const char*>(sqlite3_column_text(stmt, 3));
      plan += "\n";
    }
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    EXPECT_EQ(plan.find("SCAN blogs\n"), std::string::npos) << sql << "\n" << plan;
    EXPECT_EQ(plan.find("TEMP B-TREE"), std::string::npos) << sql << "\n" << plan;
    EXPECT_TRUE(plan.find("blogs_by_created_at_id") != std::string::npos ||
                plan.find("blog_count") != std::string::npos)
        << sql << "\n"
        << plan;
  }
}

TEST_F(SqliteStoreTest, RefusesASchemaNewerThanItKnows) {
  { ASSERT_TRUE(OpenSqliteStore(backend_.path(), tracer_).ok()); }
  RawDb(backend_.path()).Exec("PRAGMA user_version = 999");
  auto store = OpenSqliteStore(backend_.path(), tracer_);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().code, ErrorCode::kInternal);
  EXPECT_NE(store.error().message.find("newer"), std::string::npos) << store.error().message;
}

TEST_F(SqliteStoreTest, RefusesAFileThatIsNotADatabase) {
  FILE* f = std::fopen(backend_.path().c_str(), "w");
  ASSERT_NE(f, nullptr);
  std::fputs("this is not a database, just some text that is long enough to matter\n", f);
  std::fclose(f);
  auto store = OpenSqliteStore(backend_.path(), tracer_);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().code, ErrorCode::kInternal);
}

TEST_F(SqliteStoreTest, CreatesAMissingDirectory) {
  const std::string path = backend_.path() + ".d/nested/x.db";
  auto store = OpenSqliteStore(path, tracer_);
  ASSERT_TRUE(store.ok()) << store.error().message;
  EXPECT_TRUE((*store)->users().Create(ctx_, {"gina", "h", Permission::kRead}).ok());
}

TEST_F(SqliteStoreTest, AnUnopenablePathIsUnavailableAndNamed) {
  FILE* f = std::fopen(backend_.path().c_str(), "w");  // a file where a directory should be
  ASSERT_NE(f, nullptr);
  std::fclose(f);
  const std::string path = backend_.path() + "/x.db";
  auto store = OpenSqliteStore(path, tracer_);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(store.error().message.find(path), std::string::npos) << store.error().message;
}

TEST_F(SqliteStoreTest, ALockHeldBeyondTheBusyTimeoutIsUnavailable) {
  SqliteOptions options;
  options.path = backend_.path();
  options.busy_timeout = std::chrono::milliseconds(50);
  auto store = OpenSqliteStore(options, tracer_);
  ASSERT_TRUE(store.ok());
  RawDb other(backend_.path());
  other.Exec("BEGIN IMMEDIATE");  // another process holds the write lock
  tracer_.Clear();
  auto blog = (*store)->blogs().Create(ctx_, {"t", "c", "a", "b"});
  ASSERT_FALSE(blog.ok());
  EXPECT_EQ(blog.error().code, ErrorCode::kUnavailable);
  const auto spans = tracer_.Spans();
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].status, telemetry::StatusCode::kError);
  EXPECT_EQ(spans[0].String("error.type"), "SQLITE_BUSY");
  // Reads go on while another writer holds the lock (WAL); writes resume once it is gone.
  EXPECT_TRUE((*store)->blogs().List(ctx_, 10, 0).ok());
  other.Exec("ROLLBACK");
  EXPECT_TRUE((*store)->blogs().Create(ctx_, {"t", "c", "a", "b"}).ok());
}

TEST_F(SqliteStoreTest, TwoStoresOnOneFileWriteConcurrently) {
  // As two processes would: separate pools, separate write locks, one file.
  auto first = OpenSqliteStore(backend_.path(), tracer_);
  auto second = OpenSqliteStore(backend_.path(), tracer_);
  ASSERT_TRUE(first.ok() && second.ok());
  std::atomic<int> failures{0};
  {
    std::vector<std::jthread> threads;
    for (int t = 0; t < 4; ++t) {
      Store& store = t % 2 == 0 ? static_cast<Store&>(**first) : static_cast<Store&>(**second);
      threads.emplace_back([&store, &failures, this] {
        for (int i = 0; i < 25; ++i) {
          if (!store.blogs().Create(ctx_, {"t", "c", "a", "b"}).ok()) {
            ++failures;
          }
        }
      });
    }
  }
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ((*first)->blogs().List(ctx_, 1, 0)->total, 100);
  EXPECT_EQ((*second)->blogs().List(ctx_, 1, 0)->total, 100);
}

TEST_F(SqliteStoreTest, ACreatedBlogSurvivesTheProcessBeingKilledAtOnce) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    close(fds[0]);
    auto store = OpenSqliteStore(backend_.path(), tracer_);
    if (!store.ok()) {
      _exit(2);
    }
    auto blog = (*store)->blogs().Create(ctx_, {"durable", "c", "a", "b"});
    if (!blog.ok()) {
      _exit(3);
    }
    const std::string line = blog->id + "\n";
    if (write(fds[1], line.data(), line.size()) != static_cast<ssize_t>(line.size())) {
      _exit(4);
    }
    raise(SIGKILL);  // no destructors, no close, no checkpoint
    _exit(5);
  }
  close(fds[1]);
  std::string id;
  char buffer[64];
  ssize_t n;
  while ((n = read(fds[0], buffer, sizeof buffer)) > 0) {
    id.append(buffer, static_cast<size_t>(n));
  }
  close(fds[0]);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status)) << "child exited with " << WEXITSTATUS(status);
  ASSERT_FALSE(id.empty());
  id.pop_back();

  auto store = OpenSqliteStore(backend_.path(), tracer_);
  ASSERT_TRUE(store.ok());
  auto blog = (*store)->blogs().FindById(ctx_, id);
  ASSERT_TRUE(blog.ok()) << blog.error().message;
  EXPECT_EQ(blog->title, "durable");
}

}  // namespace
}  // namespace blogtrace::store
